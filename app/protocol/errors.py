"""The one table of error codes shared by the service, the SDK and the REST API.

Codes the Tencent IM documentation names (70001, 6206, 6208, 20007, 20009, 20022, 20023,
40003, 40009, 80001, 90054, …) keep their numbers so integrations that switch on them keep
working; everything else is defined here, in ranges that do not collide:

    6000–6999    raised by the SDK itself (never sent by the service), except 6208
    8006         an edit that lost to another (V2TIM's ERR_SDK_MSG_MODIFY_CONFLICT), said by
                 the service, which alone knows
    9000–9999    frame and session level (gateway)
    20000–20999  C2C messaging and conversations
    23000–23099  media upload and download (HTTP, §8 of PROTOCOL.md)
    30000–31999  relationships: friends, applications, blacklist (Tencent's sns range)
    40000–40999  profiles (Tencent's profile-service range, ``/v4/profile``)
    70000–70999  UserSig and admin accounts (Tencent's login-service range)
    71000–71099  self-registration and password sign-in (the "business server")
    80000–80999  message content checks
    90000–91999  REST API envelope and internal errors
"""

from __future__ import annotations

from enum import IntEnum


class ErrorCode(IntEnum):
    OK = 0

    # SDK-local
    SDK_NOT_INITIALIZED = 6001
    SDK_REQUEST_TIMEOUT = 6012
    SDK_NOT_LOGGED_IN = 6014
    SDK_INVALID_PARAMETERS = 6017
    SDK_LOGIN_IN_PROGRESS = 6021
    SDK_NETWORK_UNAVAILABLE = 6022
    SDK_SEND_EXPIRED = 6030
    SDK_CANCELLED = 6031
    SDK_FILE_UNREADABLE = 6040
    SDK_IMAGE_INVALID = 6041
    SDK_IMAGE_TOO_MANY_PIXELS = 6042
    SDK_MEDIA_INVALID = 6043
    SDK_SOUND_TOO_LONG = 6044
    SDK_MEDIA_TOO_LARGE = 6045
    SDK_DOWNLOAD_FAILED = 6046
    SDK_SIG_EXPIRED = 6206
    KICKED_BY_OTHERS = 6208

    # frame / session
    MALFORMED_FRAME = 9001
    UNKNOWN_COMMAND = 9002
    INVALID_BODY = 9003
    NOT_LOGGED_IN = 9004
    ALREADY_LOGGED_IN = 9005
    UNSUPPORTED_PLATFORM = 9006
    ORIGIN_NOT_ALLOWED = 9007
    LOGIN_TIMEOUT = 9008
    RATE_LIMITED = 9506
    SERVICE_BUSY = 9507
    SESSION_TOO_FAR_BEHIND = 9508
    FRAME_TOO_LARGE = 9522

    # C2C messaging and conversations
    INVALID_MESSAGE = 20001
    RECEIVER_NOT_FOUND = 20003
    BLOCKED_BY_RECEIVER = 20007
    NOT_FRIENDS = 20009
    INVALID_MESSAGE_ID = 20010
    MESSAGE_NOT_FOUND = 20011
    INVALID_CONVERSATION_ID = 20020
    CONVERSATION_NOT_FOUND = 20021
    REVOKE_TARGET_NOT_FOUND = 20022
    ALREADY_REVOKED = 20023
    REVOKE_TIME_LIMIT = 20016
    REVOKE_NOT_ALLOWED = 20031
    SEND_TO_SELF_ONLINE_ONLY = 20030
    MODIFY_TARGET_NOT_FOUND = 20026
    MODIFY_NOT_ALLOWED = 20032
    MODIFY_CONFLICT = 8006

    # groups (Tencent's group service codes)
    GROUP_INVALID_PARAMETER = 10004
    GROUP_PERMISSION_DENIED = 10007
    GROUP_OWNER_CANNOT_QUIT = 10009
    GROUP_NOT_FOUND = 10010
    NOT_GROUP_MEMBER = 10012
    ALREADY_GROUP_MEMBER = 10013
    GROUP_FULL = 10014
    INVALID_GROUP_ID = 10015
    MUTED = 10017
    GROUP_ACCOUNT_NOT_FOUND = 10019
    GROUP_ID_TAKEN = 10021
    GROUP_SEND_RATE = 10023
    APPLICATION_HANDLED = 10024
    GROUP_TYPE_UNSUPPORTED = 10033
    TOO_MANY_GROUPS = 10037
    GROUP_VALUE_TOO_LONG = 10038
    GROUP_ATTR_RATE = 10049

    # media
    MEDIA_TOO_LARGE = 23001
    MEDIA_KIND_INVALID = 23002
    UPLOAD_NOT_FOUND = 23003
    UPLOAD_OFFSET_MISMATCH = 23004
    UPLOAD_SIZE_MISMATCH = 23005
    MEDIA_NOT_FOUND = 23006
    MEDIA_FORBIDDEN = 23007
    MEDIA_REFERENCE_INVALID = 23008
    RANGE_NOT_SATISFIABLE = 23009

    # relationships (Tencent's sns codes)
    FRIEND_INVALID_PARAMETER = 30001
    FRIEND_LIST_FULL = 30010
    PEER_FRIEND_LIST_FULL = 30014
    PEER_IN_MY_BLACKLIST = 30515
    PEER_FORBIDS_ADDING = 30516
    IN_PEER_BLACKLIST = 30525
    FRIEND_PENDING = 30539
    NO_FRIEND_APPLICATION = 30614
    NOT_A_FRIEND = 31704

    # profiles
    PROFILE_INVALID_PARAMETER = 40001
    PROFILE_ACCOUNT_NOT_FOUND = 40003
    PROFILE_TAG_NOT_FOUND = 40009
    PROFILE_VALUE_TOO_LONG = 40601
    PROFILE_VALUE_TYPE_MISMATCH = 40610

    # UserSig and admin accounts
    SIG_EXPIRED = 70001
    SIG_INVALID = 70003
    SIG_USER_MISMATCH = 70013
    SIG_APP_MISMATCH = 70014
    ACCOUNT_NOT_FOUND = 70107
    INVALID_PARAMETER = 70402
    NOT_ADMIN = 70403

    # self-registration and password sign-in
    INVALID_USER_ID = 71001
    USER_EXISTS = 71002
    WRONG_CREDENTIALS = 71003
    PASSWORD_TOO_WEAK = 71004
    REGISTRATION_DISABLED = 71005

    # message content
    SENSITIVE_WORD = 80001
    MESSAGE_TOO_LONG = 80002

    # REST envelope / internal
    JSON_PARSE_FAILED = 90001
    INVALID_MSG_BODY = 90002
    INVALID_MSG_KEY = 90054
    NOT_JSON = 90003
    UNKNOWN_API = 90404
    INTERNAL_ERROR = 91000

    @property
    def message(self) -> str:
        return MESSAGES[self]


MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.OK: "OK",
    ErrorCode.SDK_NOT_INITIALIZED: "the SDK is not initialized; call init() first",
    ErrorCode.SDK_REQUEST_TIMEOUT: "the service did not answer in time",
    ErrorCode.SDK_NOT_LOGGED_IN: "not logged in",
    ErrorCode.SDK_INVALID_PARAMETERS: "invalid parameters",
    ErrorCode.SDK_LOGIN_IN_PROGRESS: "a login is already in progress or done",
    ErrorCode.SDK_NETWORK_UNAVAILABLE: "the service cannot be reached",
    ErrorCode.SDK_SEND_EXPIRED: "the message could not be sent before its outbox deadline",
    ErrorCode.SDK_CANCELLED: "the request was cancelled",
    ErrorCode.SDK_FILE_UNREADABLE: "the file cannot be read",
    ErrorCode.SDK_IMAGE_INVALID: "the file is not an image this app can read",
    ErrorCode.SDK_IMAGE_TOO_MANY_PIXELS: "the image has too many pixels to decode safely",
    ErrorCode.SDK_MEDIA_INVALID: "the file is not audio or video this app can read",
    ErrorCode.SDK_SOUND_TOO_LONG: "voice messages can be at most 10 minutes long",
    ErrorCode.SDK_MEDIA_TOO_LARGE: "the file is larger than the service accepts for its kind",
    ErrorCode.SDK_DOWNLOAD_FAILED: "the download did not complete",
    ErrorCode.SDK_SIG_EXPIRED: "the UserSig has expired; get a new one and log in again",
    ErrorCode.KICKED_BY_OTHERS: "signed out here because the account signed in elsewhere",
    ErrorCode.MALFORMED_FRAME: "the frame is not a valid JSON request envelope",
    ErrorCode.UNKNOWN_COMMAND: "unknown command",
    ErrorCode.INVALID_BODY: "the request body does not match the command's schema",
    ErrorCode.NOT_LOGGED_IN: "log in before sending this request",
    ErrorCode.ALREADY_LOGGED_IN: "this connection is already logged in",
    ErrorCode.UNSUPPORTED_PLATFORM: "unknown platform",
    ErrorCode.ORIGIN_NOT_ALLOWED: "requests from web pages on other sites are not allowed",
    ErrorCode.LOGIN_TIMEOUT: "the connection did not log in in time",
    ErrorCode.RATE_LIMITED: "too many requests; slow down",
    ErrorCode.SERVICE_BUSY: "the service is at its connection limit; try again shortly",
    ErrorCode.SESSION_TOO_FAR_BEHIND: "the connection fell too far behind; reconnect and sync",
    ErrorCode.FRAME_TOO_LARGE: "the frame is larger than the service accepts",
    ErrorCode.INVALID_MESSAGE: "the message is not valid",
    ErrorCode.RECEIVER_NOT_FOUND: "the receiver does not exist",
    ErrorCode.BLOCKED_BY_RECEIVER: "the receiver has blocked you",
    ErrorCode.NOT_FRIENDS: "you can only message friends",
    ErrorCode.INVALID_MESSAGE_ID: "the message ID must be 1–64 characters of [A-Za-z0-9_-]",
    ErrorCode.MESSAGE_NOT_FOUND: "no such message",
    ErrorCode.INVALID_CONVERSATION_ID: "the conversation ID is not valid",
    ErrorCode.CONVERSATION_NOT_FOUND: "no such conversation",
    ErrorCode.REVOKE_TARGET_NOT_FOUND: "the message to revoke does not exist",
    ErrorCode.ALREADY_REVOKED: "the message has already been revoked",
    ErrorCode.REVOKE_TIME_LIMIT: "the message is too old to recall",
    ErrorCode.REVOKE_NOT_ALLOWED: "only the sender may recall this message",
    ErrorCode.MODIFY_TARGET_NOT_FOUND: "the message to edit does not exist",
    ErrorCode.MODIFY_NOT_ALLOWED: "only the sender may edit this message, and only its text",
    ErrorCode.MODIFY_CONFLICT: "the message was edited elsewhere in the meantime",
    ErrorCode.GROUP_INVALID_PARAMETER: "invalid group parameter",
    ErrorCode.GROUP_PERMISSION_DENIED: "your role in this group does not allow that",
    ErrorCode.GROUP_OWNER_CANNOT_QUIT: "the owner cannot quit; dismiss the group or hand it over",
    ErrorCode.GROUP_NOT_FOUND: "the group does not exist or was dismissed",
    ErrorCode.NOT_GROUP_MEMBER: "not a member of this group",
    ErrorCode.ALREADY_GROUP_MEMBER: "already a member of this group",
    ErrorCode.GROUP_FULL: "the group is full",
    ErrorCode.INVALID_GROUP_ID: "a group ID is 1–48 printable ASCII characters, not starting @TGS#",
    ErrorCode.MUTED: "you are muted in this group",
    ErrorCode.GROUP_ACCOUNT_NOT_FOUND: "the account does not exist",
    ErrorCode.GROUP_ID_TAKEN: "that group ID is taken",
    ErrorCode.GROUP_SEND_RATE: "the group is over its message rate",
    ErrorCode.APPLICATION_HANDLED: "the application was already handled",
    ErrorCode.GROUP_TYPE_UNSUPPORTED: "this group type does not support that",
    ErrorCode.TOO_MANY_GROUPS: "the group count limit is reached",
    ErrorCode.GROUP_VALUE_TOO_LONG: "a group field is longer than allowed",
    ErrorCode.GROUP_ATTR_RATE: "too many group attribute changes; try again in a second",
    ErrorCode.MEDIA_TOO_LARGE: "the file is larger than allowed for its kind",
    ErrorCode.MEDIA_KIND_INVALID: "unknown media kind",
    ErrorCode.UPLOAD_NOT_FOUND: "no such upload, or it expired",
    ErrorCode.UPLOAD_OFFSET_MISMATCH: "the chunk does not start where the upload stands",
    ErrorCode.UPLOAD_SIZE_MISMATCH: "the upload's bytes do not add up to its declared size",
    ErrorCode.MEDIA_NOT_FOUND: "no such media item",
    ErrorCode.MEDIA_FORBIDDEN: "only participants of a conversation that carries it may fetch it",
    ErrorCode.MEDIA_REFERENCE_INVALID: "the message refers to media you did not upload or receive",
    ErrorCode.RANGE_NOT_SATISFIABLE: "the requested byte range lies outside the item",
    ErrorCode.SEND_TO_SELF_ONLINE_ONLY: "online-only messages cannot be sent to yourself",
    ErrorCode.FRIEND_INVALID_PARAMETER: "invalid parameter",
    ErrorCode.FRIEND_LIST_FULL: "your friend list is full",
    ErrorCode.PEER_FRIEND_LIST_FULL: "their friend list is full",
    ErrorCode.PEER_IN_MY_BLACKLIST: "the user is in your blacklist",
    ErrorCode.PEER_FORBIDS_ADDING: "the user does not accept friend requests",
    ErrorCode.IN_PEER_BLACKLIST: "the user has blocked you",
    ErrorCode.FRIEND_PENDING: "the request was sent and waits for their answer",
    ErrorCode.NO_FRIEND_APPLICATION: "no friend request from that user",
    ErrorCode.NOT_A_FRIEND: "not in your friend list",
    ErrorCode.PROFILE_INVALID_PARAMETER: "invalid parameter",
    ErrorCode.PROFILE_ACCOUNT_NOT_FOUND: "the account does not exist",
    ErrorCode.PROFILE_TAG_NOT_FOUND: "no such profile field",
    ErrorCode.PROFILE_VALUE_TOO_LONG: "the profile value is longer than allowed",
    ErrorCode.PROFILE_VALUE_TYPE_MISMATCH: "the profile value has the wrong type",
    ErrorCode.SIG_EXPIRED: "the UserSig has expired",
    ErrorCode.SIG_INVALID: "the UserSig is malformed or its signature does not verify",
    ErrorCode.SIG_USER_MISMATCH: "the UserSig was issued for another UserID",
    ErrorCode.SIG_APP_MISMATCH: "the UserSig was issued for another SDKAppID",
    ErrorCode.ACCOUNT_NOT_FOUND: "the account does not exist",
    ErrorCode.INVALID_PARAMETER: "invalid parameter",
    ErrorCode.NOT_ADMIN: "this request needs the app administrator's identity",
    ErrorCode.INVALID_USER_ID: "a UserID is 1–32 bytes of letters, digits, '_' and '-'",
    ErrorCode.USER_EXISTS: "that UserID is already taken",
    ErrorCode.WRONG_CREDENTIALS: "wrong UserID or password",
    ErrorCode.PASSWORD_TOO_WEAK: "the password must be at least 6 characters",
    ErrorCode.REGISTRATION_DISABLED: "registration is disabled on this service",
    ErrorCode.SENSITIVE_WORD: "the text contains a blocked word",
    ErrorCode.MESSAGE_TOO_LONG: "the message payload is larger than allowed",
    ErrorCode.JSON_PARSE_FAILED: "the request body is not valid JSON",
    ErrorCode.INVALID_MSG_BODY: "MsgBody does not match the message format",
    ErrorCode.INVALID_MSG_KEY: "the MsgKey is not one this service issued",
    ErrorCode.NOT_JSON: "the body must be sent as application/json",
    ErrorCode.UNKNOWN_API: "unknown API",
    ErrorCode.INTERNAL_ERROR: "internal service error",
}


class IMError(Exception):
    """A refused operation, carried as a value: a code from the table plus a specific detail."""

    def __init__(self, code: ErrorCode | int, detail: str = "") -> None:
        self.code = ErrorCode(code) if code in ErrorCode._value2member_map_ else code
        self.detail = detail or (self.code.message if isinstance(self.code, ErrorCode) else "")
        super().__init__(f"{int(self.code)}: {self.detail}")

    @property
    def desc(self) -> str:
        return self.detail
