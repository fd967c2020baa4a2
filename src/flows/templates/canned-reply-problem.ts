// Canned replies are Handlebars templates the console renders for a patient: a broken one is
// refused when the settings are saved, with its place, rather than when an operator picks it.
import Handlebars from "handlebars";
import { saysParams } from "../../i18n/zod.ts";

/** Why a canned reply's text is not a usable template (parse errors, partials), or null. */
export function cannedReplyProblem(text: string): ReturnType<typeof saysParams> | null {
  try {
    const ast = Handlebars.parse(text);
    if (JSON.stringify(ast).includes('"type":"PartialStatement"') || JSON.stringify(ast).includes('"type":"PartialBlockStatement"')) {
      return saysParams("cannedPartials");
    }
    Handlebars.precompile(ast, { strict: true, noEscape: true });
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Jison: "Parse error on line 1:\n<context>\n---^\nExpecting 'A', 'B', got 'C'".
    const parse = /^Parse error on line (\d+):\n(.*)\n.*\nExpecting (.*), got (.*)$/s.exec(message);
    if (parse) {
      const expected = (parse[3] ?? "").split(", ");
      const shown = expected.length > 3 ? `${expected.slice(0, 3).join(", ")}, …` : expected.join(", ");
      return saysParams("templateParse", { line: parse[1] ?? "", near: (parse[2] ?? "").replace(/^\.\.\./, "").trim(), expected: shown, got: parse[4] ?? "" });
    }
    return saysParams("templateOther", { reason: message.split("\n")[0] ?? "" });
  }
}
