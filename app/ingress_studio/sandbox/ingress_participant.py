"""An ingress as its room's other participants see it: kind INGRESS, its identity and name, its tracks.

The identity and name are the ingress's `participant_identity` and `participant_name`, as the ingress
service joins with them. A session never starts without an identity (the service validates the ingress at
each session, and so does the sandbox), so there is no empty one to stand in for.
"""

from __future__ import annotations

import time

from livekit.protocol import models as models_pb

from ingress_studio.sandbox.live_session import LiveSession

Participant = models_pb.ParticipantInfo


def ingress_participant(session: LiveSession, present: bool = True) -> Participant:
    info = session.info
    joined_ms = int((time.time() - (time.monotonic() - session.started)) * 1000)
    participant = Participant(
        sid=session.participant_sid,
        identity=info.participant_identity,
        name=info.participant_name,
        metadata=info.participant_metadata,
        state=Participant.State.ACTIVE if present else Participant.State.DISCONNECTED,
        joined_at=joined_ms // 1000,
        joined_at_ms=joined_ms,
        is_publisher=True,
        kind=Participant.Kind.INGRESS,
        permission=models_pb.ParticipantPermission(can_subscribe=False, can_publish=True, can_publish_data=True),
    )
    if present:
        participant.tracks.extend(session.tracks)
    return participant
