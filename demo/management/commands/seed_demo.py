"""`manage.py seed_demo`: demo accounts with profiles, follows, a block, posts, drafts, likes and
comments, so a first start shows something.

Accounts (log in with the handle or the email):

    ada    ada@example.com    ada-lovelace-1815
    grace  grace@example.com  grace-hopper-1906
    alan   alan@example.com   alan-turing-1912
    mallory mallory@example.com mallory-spams-2025   (blocked by ada)
    admin  admin@example.com  admin-demo-pass-2025   (staff and superuser: /admin/)

The staff account is created in debug mode only: a superuser with a published password has no
place on a production database, even an empty one.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from comments.models import Comment
from comments.services import comment_create, comments_hide
from posts.models import Post
from relationships.models import Block, Follow
from relationships.services import block, follow
from votes.models import Vote
from votes.services import vote_cast

# (handle, email, password, staff)
ACCOUNTS = [
    ("ada", "ada@example.com", "ada-lovelace-1815", False),
    ("grace", "grace@example.com", "grace-hopper-1906", False),
    ("alan", "alan@example.com", "alan-turing-1912", False),
    ("mallory", "mallory@example.com", "mallory-spams-2025", False),
    ("admin", "admin@example.com", "admin-demo-pass-2025", True),
]

# (handle, display name, bio)
PROFILES = [
    ("ada", "Ada Lovelace", "Translator of Menabrea's notes, and author of the longer ones."),
    ("grace", "Grace Hopper", "Compilers, COBOL, and a moth in relay 70."),
    ("alan", "Alan Turing", "Computable numbers; the imitation game."),
    ("mallory", "Mallory", "Buy followers now!"),
]

# (follower, followee): ada's home feed shows grace's and alan's posts, and her own.
FOLLOWS = [("ada", "grace"), ("ada", "alan"), ("grace", "ada"), ("alan", "ada")]

# (blocker, blocked)
BLOCKS = [("ada", "mallory")]

# (owner, title, content, published)
POSTS = [
    (
        "ada",
        "Notes on the Analytical Engine",
        "It weaves algebraic patterns just as the Jacquard loom weaves flowers and leaves.",
        True,
    ),
    (
        "ada",
        "Hello, Agora",
        "First post. Try searching for hello, or for a quoted phrase.",
        True,
    ),
    ("ada", "Draft: a program for Bernoulli numbers", "Still checking the table.", False),
    (
        "grace",
        "It is easier to ask forgiveness than permission",
        "And a nanosecond is about a foot of wire.",
        True,
    ),
    ("grace", "The first actual bug", "Found a moth in relay 70, panel F.", True),
    ("grace", "Draft: compilers for everyone", "Outline only.", False),
    ("alan", "Can machines think?", "I propose to consider the question.", True),
    ("alan", "Hello from Bletchley", "Short and hello-flavoured, for the search demo.", True),
]

# (liker, post title)
LIKES = [
    ("grace", "Notes on the Analytical Engine"),
    ("alan", "Notes on the Analytical Engine"),
    ("ada", "The first actual bug"),
    ("alan", "The first actual bug"),
    ("grace", "Can machines think?"),
    ("ada", "Draft: a program for Bernoulli numbers"),
]

# (author, post title, content, hidden by a moderator)
COMMENTS = [
    (
        "grace",
        "Notes on the Analytical Engine",
        "Lovely: the engine weaves algebra as the loom weaves flowers.",
        False,
    ),
    ("alan", "Notes on the Analytical Engine", "Could it originate anything, though?", False),
    ("ada", "Notes on the Analytical Engine", "Only what we know how to order it to do.", False),
    ("alan", "The first actual bug", "Debugging, in the most literal sense.", False),
    ("ada", "Can machines think?", "Let us first agree on what thinking is.", False),
    # Hidden by a moderator: out of the list and of the post's count.
    ("grace", "Hello, Agora", "Spare relays for sale, cheap, write to me!", True),
    ("ada", "Draft: a program for Bernoulli numbers", "Check B7 against the table.", False),
]


class Command(BaseCommand):
    help = (
        "Load demo accounts with known passwords, profiles, follows, a block, posts, drafts, "
        "likes and comments (idempotent). Only on a debug database or an empty one."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if not settings.DEBUG and User.objects.exists():
            self.stderr.write(
                "seed_demo: skipped. DEBUG is off and the database already has users; demo "
                "accounts have published passwords, so they are only loaded into a debug or "
                "empty database."
            )
            return

        with transaction.atomic():
            created = self.seed(User)

        if created:
            self.stdout.write(f"Demo content loaded: {created} new rows.")
        else:
            self.stdout.write("Demo content already loaded.")
        if settings.DEBUG:
            self.stdout.write("Demo accounts (log in with the handle or the email):")
            for handle, email, password, staff in ACCOUNTS:
                role = "   (staff: /admin/)" if staff else ""
                self.stdout.write(f"  {handle:<7} {email:<19} {password}{role}")

    def seed(self, User):
        """Create whatever demo rows are missing; the number created."""
        created = 0
        users = {}
        for handle, email, password, staff in ACCOUNTS:
            if staff and not settings.DEBUG:
                continue
            users[handle] = User.objects.filter(email=email).first()
            if users[handle] is None:
                users[handle] = User.objects.create_user(
                    email, password, username=handle, is_staff=staff, is_superuser=staff
                )
                created += 1

        for handle, display_name, bio in PROFILES:
            updated = User.objects.filter(username=handle, display_name="").update(
                display_name=display_name, bio=bio
            )
            created += updated
        # Through the services, so that the users' follow counts count them.
        for follower, followee in FOLLOWS:
            if not Follow.objects.filter(follower=users[follower], followee=users[followee]):
                follow(user=users[follower], followee_id=users[followee].pk)
                created += 1
        for blocker, blocked in BLOCKS:
            if not Block.objects.filter(blocker=users[blocker], blocked=users[blocked]):
                block(user=users[blocker], blocked_id=users[blocked].pk)
                created += 1

        posts = {}
        for owner, title, content, published in POSTS:
            posts[title], new = Post.objects.get_or_create(
                owner=users[owner],
                title=title,
                defaults={"content": content, "published": published},
            )
            created += new

        for liker, title in LIKES:
            if not Vote.objects.filter(user=users[liker], post=posts[title]).exists():
                # Through the service, so that each post's like counter counts it.
                vote_cast(user=users[liker], post_id=posts[title].pk)
                created += 1

        for author, title, content, hidden in COMMENTS:
            written = Comment.objects.filter(
                author=users[author], post=posts[title], content=content
            )
            if not written.exists():
                # Through the services, so that each post's comments_count counts it (or not,
                # once hidden).
                comment_create(author=users[author], post_id=posts[title].pk, content=content)
                if hidden:
                    comments_hide(comments=written)
                created += 1
        return created
