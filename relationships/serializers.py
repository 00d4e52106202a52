from accounts.serializers import summary_of

# A follow as its follower's summary, or as the summary of the user followed; a block as the
# summary of the user blocked.
FollowerSerializer = summary_of("follower")
FolloweeSerializer = summary_of("followee")
BlockedSerializer = summary_of("blocked")
