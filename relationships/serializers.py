from rest_framework import serializers

from accounts.serializers import UserSummarySerializer


class FollowerSerializer(serializers.BaseSerializer):
    """A follow, shown as its follower's summary."""

    def to_representation(self, instance):
        return UserSummarySerializer(instance.follower).data


class FolloweeSerializer(serializers.BaseSerializer):
    """A follow, shown as the summary of the user followed."""

    def to_representation(self, instance):
        return UserSummarySerializer(instance.followee).data


class BlockedSerializer(serializers.BaseSerializer):
    """A block, shown as the summary of the user blocked."""

    def to_representation(self, instance):
        return UserSummarySerializer(instance.blocked).data
