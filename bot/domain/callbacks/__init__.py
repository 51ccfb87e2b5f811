"""Callback data: one small frozen dataclass per kind of button, packed and parsed only here.

The kinds live in modules by feature; importing this package registers every one (each
kind registers its prefix when its class is made), so `kinds()` and `unpack_any` see them all.
"""

from bot.domain.callbacks.codec import (
    COVER_EPOCH as COVER_EPOCH,
)
from bot.domain.callbacks.codec import (
    MAX_BYTES as MAX_BYTES,
)
from bot.domain.callbacks.codec import (
    MAX_ID as MAX_ID,
)
from bot.domain.callbacks.codec import (
    NONE as NONE,
)
from bot.domain.callbacks.codec import (
    SEP as SEP,
)
from bot.domain.callbacks.codec import (
    Between as Between,
)
from bot.domain.callbacks.codec import (
    CallbackData as CallbackData,
)
from bot.domain.callbacks.codec import (
    Fold as Fold,
)
from bot.domain.callbacks.codec import (
    Hour as Hour,
)
from bot.domain.callbacks.codec import (
    Hours as Hours,
)
from bot.domain.callbacks.codec import (
    Quarter as Quarter,
)
from bot.domain.callbacks.codec import (
    is_token as is_token,
)
from bot.domain.callbacks.codec import (
    kinds as kinds,
)
from bot.domain.callbacks.codec import (
    unpack_any as unpack_any,
)
from bot.domain.callbacks.flags import (
    DRAFT_PRESSES as DRAFT_PRESSES,
)
from bot.domain.callbacks.flags import (
    CoordAct as CoordAct,
)
from bot.domain.callbacks.flags import (
    DraftBack as DraftBack,
)
from bot.domain.callbacks.flags import (
    DraftCancel as DraftCancel,
)
from bot.domain.callbacks.flags import (
    DraftCategory as DraftCategory,
)
from bot.domain.callbacks.flags import (
    DraftGroup as DraftGroup,
)
from bot.domain.callbacks.flags import (
    DraftNext as DraftNext,
)
from bot.domain.callbacks.flags import (
    DraftOffice as DraftOffice,
)
from bot.domain.callbacks.flags import (
    DraftPress as DraftPress,
)
from bot.domain.callbacks.flags import (
    DraftRaise as DraftRaise,
)
from bot.domain.callbacks.flags import (
    DraftSkip as DraftSkip,
)
from bot.domain.callbacks.flags import (
    DraftTarget as DraftTarget,
)
from bot.domain.callbacks.flags import (
    DraftUrgency as DraftUrgency,
)
from bot.domain.callbacks.flags import (
    DraftUrgent as DraftUrgent,
)
from bot.domain.callbacks.flags import (
    FlagAction as FlagAction,
)
from bot.domain.callbacks.flags import (
    FlagCategory as FlagCategory,
)
from bot.domain.callbacks.flags import (
    FlagFor as FlagFor,
)
from bot.domain.callbacks.flags import (
    FlagOpen as FlagOpen,
)
from bot.domain.callbacks.flags import (
    FlagOutcome as FlagOutcome,
)
from bot.domain.callbacks.flags import (
    FlagPress as FlagPress,
)
from bot.domain.callbacks.flags import (
    FlagRedirect as FlagRedirect,
)
from bot.domain.callbacks.flows import (
    FlowContinue as FlowContinue,
)
from bot.domain.callbacks.flows import (
    FlowRestart as FlowRestart,
)
from bot.domain.callbacks.notices import (
    BoardHide as BoardHide,
)
from bot.domain.callbacks.notices import (
    BoardRetry as BoardRetry,
)
from bot.domain.callbacks.notices import (
    BoardShow as BoardShow,
)
from bot.domain.callbacks.notices import (
    NoticeAgenciesDone as NoticeAgenciesDone,
)
from bot.domain.callbacks.notices import (
    NoticeAgency as NoticeAgency,
)
from bot.domain.callbacks.notices import (
    NoticeAudience as NoticeAudience,
)
from bot.domain.callbacks.notices import (
    NoticeBack as NoticeBack,
)
from bot.domain.callbacks.notices import (
    NoticeCancel as NoticeCancel,
)
from bot.domain.callbacks.notices import (
    NoticeConfirm as NoticeConfirm,
)
from bot.domain.callbacks.notices import (
    NoticeGroup as NoticeGroup,
)
from bot.domain.callbacks.notices import (
    NoticeRemind as NoticeRemind,
)
from bot.domain.callbacks.notices import (
    NoticeSend as NoticeSend,
)
from bot.domain.callbacks.notices import (
    NoticeToggleConfirm as NoticeToggleConfirm,
)
from bot.domain.callbacks.notices import (
    NoticeWho as NoticeWho,
)
from bot.domain.callbacks.notices import (
    NoticeWithdraw as NoticeWithdraw,
)
from bot.domain.callbacks.people import (
    CalendarCancel as CalendarCancel,
)
from bot.domain.callbacks.people import (
    CheckinGroup as CheckinGroup,
)
from bot.domain.callbacks.people import (
    CheckoutUndo as CheckoutUndo,
)
from bot.domain.callbacks.people import (
    CoverageGroup as CoverageGroup,
)
from bot.domain.callbacks.people import (
    CoverFind as CoverFind,
)
from bot.domain.callbacks.people import (
    CoverTake as CoverTake,
)
from bot.domain.callbacks.people import (
    HandoverAck as HandoverAck,
)
from bot.domain.callbacks.people import (
    HandoverAgency as HandoverAgency,
)
from bot.domain.callbacks.people import (
    HandoverEveryone as HandoverEveryone,
)
from bot.domain.callbacks.people import (
    HandoverPick as HandoverPick,
)
from bot.domain.callbacks.people import (
    HandoverSkip as HandoverSkip,
)
from bot.domain.callbacks.people import (
    InviteAgency as InviteAgency,
)
from bot.domain.callbacks.people import (
    InviteGroup as InviteGroup,
)
from bot.domain.callbacks.people import (
    InviteRole as InviteRole,
)
from bot.domain.callbacks.people import (
    InviteSize as InviteSize,
)
from bot.domain.callbacks.people import (
    Language as Language,
)
from bot.domain.callbacks.people import (
    MemberDeactivate as MemberDeactivate,
)
from bot.domain.callbacks.people import (
    MemberDeactivateNo as MemberDeactivateNo,
)
from bot.domain.callbacks.people import (
    MemberDeactivateYes as MemberDeactivateYes,
)
from bot.domain.callbacks.people import (
    MembersPage as MembersPage,
)
from bot.domain.callbacks.people import (
    PlanAdd as PlanAdd,
)
from bot.domain.callbacks.people import (
    PlanCancel as PlanCancel,
)
from bot.domain.callbacks.people import (
    PlanCopyWeek as PlanCopyWeek,
)
from bot.domain.callbacks.people import (
    PlanDay as PlanDay,
)
from bot.domain.callbacks.people import (
    PlanDays as PlanDays,
)
from bot.domain.callbacks.people import (
    PlanGroup as PlanGroup,
)
from bot.domain.callbacks.people import (
    PlanMember as PlanMember,
)
from bot.domain.callbacks.people import (
    PlanPress as PlanPress,
)
from bot.domain.callbacks.people import (
    PlanStart as PlanStart,
)
from bot.domain.callbacks.people import (
    PlanTemplate as PlanTemplate,
)
from bot.domain.callbacks.people import (
    SetEvening as SetEvening,
)
from bot.domain.callbacks.people import (
    SetLead as SetLead,
)
from bot.domain.callbacks.people import (
    SetQuiet as SetQuiet,
)
from bot.domain.callbacks.people import (
    ShiftAbsent as ShiftAbsent,
)
from bot.domain.callbacks.people import (
    SwapOffer as SwapOffer,
)
from bot.domain.callbacks.people import (
    SwapTake as SwapTake,
)
from bot.domain.callbacks.worklog import (
    LOG_PRESSES as LOG_PRESSES,
)
from bot.domain.callbacks.worklog import (
    EntryAsk as EntryAsk,
)
from bot.domain.callbacks.worklog import (
    EntryDelete as EntryDelete,
)
from bot.domain.callbacks.worklog import (
    EntryField as EntryField,
)
from bot.domain.callbacks.worklog import (
    EntryGroupList as EntryGroupList,
)
from bot.domain.callbacks.worklog import (
    EntryMinutes as EntryMinutes,
)
from bot.domain.callbacks.worklog import (
    EntryOpen as EntryOpen,
)
from bot.domain.callbacks.worklog import (
    EntryResidents as EntryResidents,
)
from bot.domain.callbacks.worklog import (
    LogBack as LogBack,
)
from bot.domain.callbacks.worklog import (
    LogCancel as LogCancel,
)
from bot.domain.callbacks.worklog import (
    LogDuration as LogDuration,
)
from bot.domain.callbacks.worklog import (
    LogFlag as LogFlag,
)
from bot.domain.callbacks.worklog import (
    LogGroup as LogGroup,
)
from bot.domain.callbacks.worklog import (
    LogKind as LogKind,
)
from bot.domain.callbacks.worklog import (
    LogNext as LogNext,
)
from bot.domain.callbacks.worklog import (
    LogPartner as LogPartner,
)
from bot.domain.callbacks.worklog import (
    LogPress as LogPress,
)
from bot.domain.callbacks.worklog import (
    LogResidents as LogResidents,
)
from bot.domain.callbacks.worklog import (
    LogSame as LogSame,
)
from bot.domain.callbacks.worklog import (
    LogSave as LogSave,
)
from bot.domain.callbacks.worklog import (
    LogType as LogType,
)
from bot.domain.callbacks.worklog import (
    MyData as MyData,
)
from bot.domain.callbacks.worklog import (
    ReportGroup as ReportGroup,
)
from bot.domain.callbacks.worklog import (
    ReportPeriod as ReportPeriod,
)
