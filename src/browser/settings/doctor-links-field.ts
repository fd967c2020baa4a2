// settings.doctorReviewLinks (doctor's name as the MIS sends it → their own review pages), edited
// as a list of doctors, each with its list of links. The name offers the doctors the clinic's visits
// carry (the page's <datalist id="doctor-names">); the server checks the links as it does the clinic's.
import { fill, h, sub } from "./dom.ts";
import { itemList } from "./item-list.ts";
import type { ItemList } from "./item-list.ts";
import type { Ctx, Field } from "./types.ts";

interface Link {
  label: string;
  url: string;
}
interface Doctor {
  name: string;
  links: Link[];
}

/** The schema's limit of links per doctor (src/domain/clinic/settings.ts). */
const MAX_LINKS = 8;

function linkList(ctx: Ctx, links: Link[]): ItemList<Link> {
  const { T } = ctx;
  const list = itemList<Link>(ctx, {
    addLabel: T.docLinkAdd,
    max: MAX_LINKS,
    onChange: ctx.changed,
    fresh: () => ({ label: "", url: "" }),
    make(link) {
      const label = h("input", { type: "text", value: link.label, class: "link-label", "data-key": "label", "aria-label": T.docLinkLabel, placeholder: T.docLabelPlaceholder, maxlength: 60 });
      const url = h("input", { type: "url", inputmode: "url", class: "link-url", value: link.url, "data-key": "url", "aria-label": T.docLinkUrl, placeholder: "https://", spellcheck: "false" });
      const el = h("div", { class: "row doctor-link" }, sub(T.docLinkLabel, label), sub(T.docLinkUrl, url, "grow"));
      return { el, read: () => ({ label: label.value.trim(), url: url.value.trim() }), title: () => label.value.trim() || T.docLinkLabel };
    },
  });
  list.replace(links);
  return list;
}

export function doctorLinksField(ctx: Ctx, root: HTMLElement): Field {
  const { T } = ctx;
  const path = root.dataset.path!;
  const list: ItemList<Doctor> = itemList<Doctor>(ctx, {
    addLabel: T.docAdd,
    empty: T.docNone,
    onChange: ctx.changed,
    fresh: () => ({ name: "", links: [{ label: "", url: "" }] }),
    make(doctor) {
      const name = h("input", { type: "text", value: doctor.name, "data-key": "name", "aria-label": T.docName, list: "doctor-names", autocomplete: "off", maxlength: 200 });
      const links = linkList(ctx, doctor.links);
      const el = h("div", { class: "doctor" }, sub(T.docName, name, "doctor-name"), links.el);
      return {
        el,
        read() {
          // The server names a problem by the doctor's name and the link's place among the kept ones.
          el.dataset.name = name.value.trim();
          const kept: Link[] = [];
          for (const item of links.items()) {
            const link = item.read();
            const keep = Boolean(link.label || link.url);
            item.el.querySelector<HTMLElement>(".link-label")!.dataset.key = keep ? `${kept.length}.label` : "";
            item.el.querySelector<HTMLElement>(".link-url")!.dataset.key = keep ? `${kept.length}.url` : "";
            if (keep) kept.push(link);
          }
          return { name: name.value.trim(), links: kept };
        },
        title: () => name.value.trim() || T.docName,
      };
    },
  });
  root.append(list.el);
  return {
    path,
    root,
    set: (v) =>
      list.replace(
        v && typeof v === "object" && !Array.isArray(v)
          ? Object.entries(v as Record<string, unknown>).map(([name, links]) => ({ name, links: Array.isArray(links) ? (links as Link[]).map((l) => ({ label: String(l?.label ?? ""), url: String(l?.url ?? "") })) : [] }))
          : [],
      ),
    get: (problems) => {
      const out: Record<string, Link[]> = {};
      list.items().forEach((item, n) => {
        const doctor = item.read();
        if (!doctor.name && doctor.links.length === 0) return; // an untouched new doctor
        if (!doctor.name) problems.push({ path: `${path}.${n}.name`, message: T.docNameMissing });
        else if (doctor.name in out) problems.push({ path: `${path}.${n}.name`, message: fill(T.docNameTwice, { name: doctor.name }) });
        else out[doctor.name] = doctor.links;
      });
      return out;
    },
  };
}
