// The baseline: the same NPS dialogue written as a grammY user would without CareBot, with
// @grammyjs/conversations and its default (in-memory) storage, on the same runner, the same fake
// Bot API and the same update feed. Nothing is written to a database: that is its default.
// Given a storage (conversation-storage.ts), it is the persistent peer instead: the same bot with
// its conversations kept in a table of the benchmark's database, as @grammyjs/storage-psql keeps them.
import { type Conversation, type ConversationFlavor, conversations, createConversation } from "@grammyjs/conversations";
import { run, sequentialize } from "@grammyjs/runner";
import type { RunnerHandle } from "@grammyjs/runner";
import { Bot, type Context, InlineKeyboard } from "grammy";
import type { KeyValueStorage } from "./conversation-storage.ts";
import { ReplyProbe } from "./probe.ts";
import { retryNetworkErrors } from "./retry-network.ts";

type BaselineContext = ConversationFlavor<Context>;

const SCORES = InlineKeyboard.from([
  [0, 1, 2, 3, 4, 5].map((n) => InlineKeyboard.text(String(n), `nps:${n}`)),
  [6, 7, 8, 9, 10].map((n) => InlineKeyboard.text(String(n), `nps:${n}`)),
]);

async function nps(conversation: Conversation<BaselineContext, Context>, ctx: Context): Promise<void> {
  await ctx.reply("Анна, спасибо, что были у нас! Оцените, пожалуйста, насколько вероятно, что вы порекомендуете нас друзьям: от 0 до 10.", {
    reply_markup: SCORES,
  });
  let score: number | null = null;
  while (score === null) {
    const answer = await conversation.waitFor("message:text");
    const n = Number(answer.message.text.trim());
    if (Number.isInteger(n) && n >= 0 && n <= 10) score = n;
    else await answer.reply("Пожалуйста, выберите оценку от 0 до 10.", { reply_markup: SCORES });
  }
  await ctx.reply(score >= 9 ? "Спасибо! Что вам понравилось больше всего?" : "Спасибо за честную оценку. Что нам стоит улучшить?", {
    reply_markup: new InlineKeyboard().text("Пропустить", "nps:skip"),
  });
  const comment = await conversation.waitFor("message:text");
  await comment.reply(score >= 9 ? "Спасибо, нам очень приятно!" : score >= 7 ? "Спасибо за ответ!" : "Нам очень жаль. Мы передали ваш отзыв администратору.");
}

export interface BaselineRig {
  bot: Bot<BaselineContext>;
  probe: ReplyProbe;
  stop(): Promise<void>;
}

export async function startBaselineRig(bot: { token: string; apiRoot: string }, storage?: KeyValueStorage<any>): Promise<BaselineRig> {
  const grammy = new Bot<BaselineContext>(bot.token, { client: { apiRoot: bot.apiRoot } });
  const probe = new ReplyProbe();
  probe.attach(grammy as unknown as Bot);
  retryNetworkErrors(grammy.api);
  // The runner processes chats concurrently; a conversation needs each chat's updates in order.
  grammy.use(sequentialize((ctx) => (ctx.chat ? String(ctx.chat.id) : undefined)));
  grammy.use(storage ? conversations({ storage: { type: "key", adapter: storage } }) : conversations());
  // Inside a conversation ctx.api is the plugin's own Api: the probe is installed there too.
  grammy.use(createConversation(nps, { id: "nps", plugins: [async (ctx, next) => (probe.attachApi(ctx.api), retryNetworkErrors(ctx.api), next())] }));
  grammy.command("nps", (ctx) => ctx.conversation.enter("nps"));
  grammy.catch((err) => {
    console.error("baseline bot:", err.error);
  });
  await grammy.init();
  await grammy.api.deleteWebhook();
  const handle: RunnerHandle = run(grammy, { runner: { fetch: { timeout: 1, allowed_updates: ["message", "callback_query"] }, silent: true } });
  return {
    bot: grammy,
    probe,
    stop: async () => {
      if (handle.isRunning()) await handle.stop();
      await storage?.close();
    },
  };
}
