"""What a member of the Moderators group may do in the admin: read and moderate posts,
comments, likes, follows and blocks, and deactivate or reactivate users. Not: edit a user's
email, handle, password, staff flags, groups or permissions; see token tables, groups or
permissions at all."""

GROUP = "Moderators"

# (app label, codename)
PERMISSIONS = [
    ("accounts", "view_user"),
    ("accounts", "moderate_user"),
    ("posts", "view_post"),
    ("posts", "change_post"),
    ("posts", "delete_post"),
    ("comments", "view_comment"),
    ("comments", "change_comment"),
    ("comments", "delete_comment"),
    ("votes", "view_vote"),
    ("votes", "delete_vote"),
    ("relationships", "view_follow"),
    ("relationships", "delete_follow"),
    ("relationships", "view_block"),
    ("relationships", "delete_block"),
]
