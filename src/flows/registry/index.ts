import { ask } from "./actions/ask.ts";
import { optInAction, optOutAction } from "./actions/consent.ts";
import { changeConsent, showConsents } from "./actions/consents.ts";
import { endConversation, startFlow } from "./actions/conversation.ts";
import { escalate } from "./actions/escalate.ts";
import { noteToStaff } from "./actions/note-to-staff.ts";
import { say } from "./actions/say.ts";
import { setContext } from "./actions/set-context.ts";
import { builtInGuards } from "./guards/index.ts";
import { giveBirthdayGift } from "./actions/care/birthday.ts";
import { giveCampaignBonus } from "./actions/care/campaign.ts";
import { recordNps } from "./actions/care/nps.ts";
import { sayWithReviewLinks } from "./actions/care/reviews.ts";
import { bookChosenSlot, offerServices, offerSlots, snoozeFollowUp } from "./actions/care/rebook.ts";
import { cancelVisit, confirmVisit, moveVisit, offerVisitSlots, remindVisit } from "./actions/care/visit.ts";
import { joinWaitlistAction, joinWaitlistFromChatAction, offerFreedSlot, takeFreedSlot } from "./actions/care/waitlist.ts";
import { attributeReferralAction, linkReferee, referralShare } from "./actions/care/referral.ts";
import { familyBonus } from "./actions/care/family.ts";
import { checkPromoCode, offerCertificates, receiveCertificate, shareCertificate } from "./actions/care/loyalty.ts";
import type { FlowAction, FlowGuard, Registry } from "./types.ts";

export type { Registry, FlowAction, FlowGuard } from "./types.ts";

export const builtInActions: Record<string, FlowAction<any>> = {
  say,
  ask,
  setContext,
  escalate,
  noteToStaff,
  endConversation,
  startFlow,
  optOut: optOutAction,
  optIn: optInAction,
  showConsents,
  changeConsent,
  familyBonus,
  recordNps,
  sayWithReviewLinks,
  referralShare,
  attributeReferral: attributeReferralAction,
  linkReferee,
  offerSlots,
  offerServices,
  bookSlot: bookChosenSlot,
  snoozeFollowUp,
  remindVisit,
  confirmVisit,
  cancelVisit,
  offerVisitSlots,
  moveVisit,
  joinWaitlist: joinWaitlistAction,
  joinWaitlistFromChat: joinWaitlistFromChatAction,
  offerFreedSlot,
  takeFreedSlot,
  giveBirthdayGift,
  giveCampaignBonus,
  checkPromoCode,
  offerCertificates,
  shareCertificate,
  receiveCertificate,
};

/** The registry flows are checked and run against; domain modules add their actions to it. */
export function createRegistry(extra: { actions?: Record<string, FlowAction<any>>; guards?: Record<string, FlowGuard<any>> } = {}): Registry {
  return {
    actions: { ...builtInActions, ...extra.actions },
    guards: { ...builtInGuards, ...extra.guards },
  };
}
