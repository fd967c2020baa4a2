export { silentLogger } from "../logger.ts";
export type { ChannelLogger as WhatsAppLogger } from "../logger.ts";
