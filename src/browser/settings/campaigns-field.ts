// The campaign builder: segment, offer (points, their validity, a text), when to send (the same
// schedule picker, or by hand), and a dry run that says who would get it now and who not, and why.
import { counted, debounce, fill, freshId, h, numberOrText, sub } from "./dom.ts";
import { itemList } from "./item-list.ts";
import type { ItemList } from "./item-list.ts";
import type { Item } from "./item-list.ts";
import { scheduleEditor } from "./schedule-field.ts";
import type { SegmentValue } from "./segments-field.ts";
import type { Ctx, Field, Problem } from "./types.ts";

type CampaignValue = Record<string, unknown> & { id: string; title: string; segment: string };

interface CampaignItem extends Item<CampaignValue> {
  refreshSegments(): void;
  read(problems?: Problem[], path?: string): CampaignValue;
}

export interface CampaignsField extends Field {
  segmentsChanged(): void;
}

export function campaignsField(ctx: Ctx, root: HTMLElement, segments: () => SegmentValue[]): CampaignsField {
  const { T } = ctx;

  const makeCard = (campaign: CampaignValue): CampaignItem => {
    const offer = (campaign.offer ?? {}) as { text?: string; textEn?: string; bonusPoints?: number; validDays?: number };
    const text = (v: unknown) => (v === undefined || v === null ? "" : String(v));
    const title = h("input", { type: "text", value: campaign.title, "data-key": "title", "aria-label": T.campTitle });
    const id = h("input", { type: "text", value: campaign.id, "data-key": "id", "aria-label": T.campId, spellcheck: "false", class: "code" });
    const segment = h("select", { "data-key": "segment", "aria-label": T.campSegment });
    const noSegments = h("p", { class: "muted", text: T.campNoSegments });
    const points = h("input", { type: "text", inputmode: "numeric", class: "short", value: text(offer.bonusPoints), "data-key": "offer.bonusPoints", "aria-label": T.campOfferPoints });
    const days = h("input", { type: "text", inputmode: "numeric", class: "short", value: text(offer.validDays), "data-key": "offer.validDays", "aria-label": T.campOfferDays });
    const offerText = h("textarea", { rows: 2, "data-key": "offer.text", "aria-label": T.campOfferText });
    offerText.value = offer.text ?? "";
    const offerTextEn = h("textarea", { rows: 2, "data-key": "offer.textEn", "aria-label": T.campOfferTextEn, lang: "en" });
    offerTextEn.value = offer.textEn ?? "";
    const flow = h("input", { type: "text", value: text(campaign.flow ?? "reactivation"), "data-key": "flow", "aria-label": T.campFlow, spellcheck: "false", class: "code" });
    const cameBack = h("input", { type: "text", inputmode: "numeric", class: "short", value: text(campaign.cameBackWithinDays ?? 60), "data-key": "cameBackWithinDays", "aria-label": T.campCameBack });
    const scheduleHint = h("p", { class: "hint live", "aria-live": "polite" });
    const schedule = scheduleEditor(ctx, { name: T.campSchedule, hint: scheduleHint, manual: true, onChange: ctx.changed });
    schedule.el.dataset.key = "schedule";
    schedule.set(typeof campaign.schedule === "string" ? campaign.schedule : undefined);
    const would = h("p", { class: "count", "aria-live": "polite" });
    const skipped = h("p", { class: "muted" });
    const later = h("p", { class: "muted" });

    let chosen = campaign.segment;
    const refreshSegments = () => {
      const list = segments();
      if (segment.value) chosen = segment.value;
      segment.replaceChildren(...list.map((s) => h("option", { value: s.id, text: s.title || s.id })));
      // A campaign naming a segment that is gone keeps the name, so the save says what is wrong.
      if (chosen && !list.some((s) => s.id === chosen)) segment.append(h("option", { value: chosen, text: chosen }));
      segment.value = chosen;
      noSegments.hidden = list.length > 0;
    };
    refreshSegments();

    const read = (problems: Problem[] = [], path = ""): CampaignValue => {
      const o: Record<string, unknown> = {};
      const p = numberOrText(points.value);
      const d = numberOrText(days.value);
      if (p !== null) o.bonusPoints = p;
      if (d !== null) o.validDays = d;
      if (offerText.value.trim()) o.text = offerText.value.trim();
      if (offerTextEn.value.trim()) o.textEn = offerTextEn.value.trim();
      const value: CampaignValue = { id: id.value.trim(), title: title.value.trim(), segment: segment.value, flow: flow.value.trim() };
      if (Object.keys(o).length > 0) value.offer = o;
      const cron = schedule.get(problems, `${path}.schedule`);
      if (cron !== undefined) value.schedule = cron;
      const back = numberOrText(cameBack.value);
      if (back !== null) value.cameBackWithinDays = back;
      return value;
    };

    let asked = 0;
    const dryRun = async () => {
      const n = ++asked;
      const target = segments().find((s) => s.id === segment.value);
      skipped.textContent = "";
      later.textContent = "";
      if (!target) {
        would.textContent = "";
        return;
      }
      would.textContent = T.campCounting;
      const res = await ctx.post("/console/api/settings/campaign-dry-run", { campaignId: id.value.trim(), segment: target }).catch(() => null);
      if (n !== asked) return;
      if (!res || res.status !== 200) {
        would.textContent = T.campCountFailed;
        return;
      }
      const b = res.body as { wouldQueue: number; delayedByCap: number; optedOut: number; noReachableChat: number; alreadyQueued: number; noAdvertisingConsent: number; quietUntil: string | null; marketingCapDays: number };
      would.textContent = fill(T.campWould, { n: b.wouldQueue, patients: counted(b.wouldQueue, T.patients, ctx.lang) });
      skipped.textContent = fill(T.campSkipped, { optedOut: b.optedOut, noChat: b.noReachableChat, already: b.alreadyQueued, noAd: b.noAdvertisingConsent });
      later.textContent = [b.delayedByCap > 0 ? fill(T.campCapped, { n: b.delayedByCap, days: b.marketingCapDays }) : "", b.quietUntil ? fill(T.campQuiet, { t: b.quietUntil }) : ""].filter(Boolean).join(" ");
    };
    const refresh = debounce(() => void dryRun(), 350);

    const el = h(
      "div",
      { class: "campaign" },
      h("div", { class: "item-head" }, sub(T.campTitle, title, "grow"), sub(T.campId, id)),
      h("div", { class: "item-head" }, sub(T.campSegment, segment, "grow"), noSegments),
      h("div", { class: "item-head" }, sub(T.campOfferPoints, points), sub(T.campOfferDays, days), sub(T.campCameBack, cameBack)),
      h("div", { class: "item-head" }, sub(T.campOfferText, offerText, "grow"), sub(T.campOfferTextEn, offerTextEn, "grow")),
      h("div", { class: "sub" }, h("span", { text: T.campSchedule }), schedule.el, scheduleHint),
      h("details", { class: "more" }, h("summary", { text: T.campFlow }), flow),
      h("div", { class: "outcome" }, would, skipped, later),
    );
    el.addEventListener("input", refresh);
    el.addEventListener("change", refresh);
    void dryRun();
    return {
      el,
      read,
      title: () => title.value.trim() || id.value.trim(),
      refreshSegments: () => {
        refreshSegments();
        refresh();
      },
    };
  };

  const list: ItemList<CampaignValue> = itemList<CampaignValue>(ctx, {
    addLabel: T.campAdd,
    onChange: ctx.changed,
    fresh: () => ({ id: freshId("campaign", list.items().map((i) => i.read().id)), title: T.campNew, segment: segments()[0]?.id ?? "" }),
    make: makeCard,
  });
  root.append(list.el);
  const items = () => list.items() as CampaignItem[];
  return {
    path: root.dataset.path!,
    root,
    set: (v) => list.replace(Array.isArray(v) ? (v as CampaignValue[]) : []),
    get: (problems) => items().map((c, i) => c.read(problems, `campaigns.${i}`)),
    segmentsChanged: () => items().forEach((c) => c.refreshSegments()),
  };
}
