// The NPS dialogue every contender runs, fed the same way: each chat's survey is started (not
// timed), then every chat answers a score, and once all are answered, a comment. Only those two
// answers are timed: from the update reaching grammY to the reply reaching the fake Bot API.
import { performance } from "node:perf_hooks";
import { fakeUser } from "../../test/support/fake-bot-api/index.ts";
import type { FakeUser } from "../../test/support/fake-bot-api/state.ts";
import type { ReplyProbe } from "./probe.ts";

/** What feeds updates to the bots: the fake Bot API in this process, or in its own (fake-api-process.ts). */
export interface UpdateFeed {
  readonly token: string;
  sendText(user: FakeUser, text: string): unknown;
  pushUpdate(raw: object): unknown;
}

export interface Contender {
  readonly name: string;
  readonly probe: ReplyProbe;
  /** Statements and transactions run so far, where the contender counts them. */
  readonly counter?: { statements: number; transactions: number };
  /** Starts a survey in each chat and resolves once its question has been sent. */
  startSurveys(chatIds: number[]): Promise<void>;
}

export interface RoundResult {
  messages: number;
  elapsedMs: number;
  /** Counted while answers were being handled (starting the surveys is left out). */
  statements: number;
  transactions: number;
  /** Client CPU (user + system, this process) while the timed answers were handled, in ms. */
  cpuMs: number;
}

export const SCORE_TEXT = "9";
export const COMMENT_TEXT = "Всё понравилось, врач внимательный, спасибо!";

/** Runs `rounds` full dialogues in the given chats; returns the timed messages and the time they took. */
export async function runDialogue(api: UpdateFeed, contender: Contender, chatIds: number[], rounds: number, timeoutMs: number): Promise<RoundResult> {
  const users = chatIds.map((id) => fakeUser(id, { firstName: "Анна", languageCode: "ru" }));
  let elapsedMs = 0;
  let messages = 0;
  let statements = 0;
  let transactions = 0;
  let cpuMs = 0;
  for (let round = 0; round < rounds; round++) {
    await contender.startSurveys(chatIds);
    for (const text of [SCORE_TEXT, COMMENT_TEXT]) {
      const target = contender.probe.replies + users.length;
      const counted = { statements: contender.counter?.statements ?? 0, transactions: contender.counter?.transactions ?? 0 };
      contender.probe.measure(true);
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (const user of users) api.sendText(user, text);
      await contender.probe.untilReplies(target, timeoutMs);
      elapsedMs += performance.now() - started;
      const used = process.cpuUsage(cpu);
      cpuMs += (used.user + used.system) / 1000;
      contender.probe.measure(false);
      // The dispatcher marks a row sent just after the reply arrived: let it finish before counting.
      await new Promise((resolve) => setTimeout(resolve, 20));
      statements += (contender.counter?.statements ?? 0) - counted.statements;
      transactions += (contender.counter?.transactions ?? 0) - counted.transactions;
      messages += users.length;
    }
  }
  return { messages, elapsedMs, statements, transactions, cpuMs };
}

/**
 * Telegram knows a private chat once its user has started the bot, which also yields a
 * my_chat_member update; the fake learns chats the same way. Neither bot asks for those updates.
 */
export function introduceChats(api: UpdateFeed, chatIds: readonly number[]): void {
  const bot = { id: Number(api.token.split(":")[0]), is_bot: true, first_name: "CareBot" };
  for (const id of chatIds) {
    const user = { id, is_bot: false, first_name: "Анна", language_code: "ru" };
    api.pushUpdate({
      my_chat_member: {
        chat: { id, type: "private", first_name: "Анна" },
        from: user,
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: "kicked", user: bot, until_date: 0 },
        new_chat_member: { status: "member", user: bot },
      },
    });
  }
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
