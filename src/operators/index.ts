// The operators' console: login, the queue of escalations, taking a chat over, live updates.
import { parse as parseQuery } from "node:querystring";
import type { FastifyInstance } from "fastify";
import type { OperatorConsoleDeps } from "./deps.ts";
import { consoleOptions } from "./config.ts";
import type { ConsoleOptions } from "./config.ts";
import { registerAuthRoutes } from "./auth/routes.ts";
import { LoginThrottle } from "./auth/throttle.ts";
import { DeviceCookies } from "./auth/device-cookie.ts";
import { ConsoleEvents } from "./console/events.ts";
import { releaseIdleConversations } from "./console/idle-release.ts";
import { registerConsoleRoutes } from "./console/routes.ts";

export { requireOperator } from "./auth/require-operator.ts";
import { QUEUE_ROUTES } from "./console/routes.ts";
import { registerSettingsRoutes, SETTINGS_ROUTES } from "./settings/routes.ts";
import { DASHBOARD_ROUTES, registerDashboardRoutes } from "./dashboard/routes.ts";
import { PATIENTS_ROUTES, registerPatientRoutes } from "./patients/routes.ts";
import { registerTextsRoutes, TEXTS_ROUTES } from "./texts/routes.ts";
import { registerTeamRoutes, TEAM_ROUTES } from "./team/routes.ts";
import { PASSWORD_ROUTES, registerPasswordRoutes } from "./team/password-routes.ts";
import { CLINIC_ROUTES, registerClinicRoutes } from "./clinic/routes.ts";
import { FLOW_ROUTES, registerFlowRoutes } from "./flows/routes.ts";
import { PROMO_CODE_ROUTES, registerPromoCodeConsoleRoutes } from "./promo-codes/routes.ts";
import { CERTIFICATE_ROUTES, registerCertificateConsoleRoutes } from "./certificates/routes.ts";

/** Every guarded console route: the tests walk this table to prove none answers an anonymous request. */
export const CONSOLE_ROUTES = [
  ...QUEUE_ROUTES, ...SETTINGS_ROUTES, ...DASHBOARD_ROUTES, ...PATIENTS_ROUTES, ...TEXTS_ROUTES, ...TEAM_ROUTES, ...PASSWORD_ROUTES, ...CLINIC_ROUTES, ...FLOW_ROUTES, ...PROMO_CODE_ROUTES, ...CERTIFICATE_ROUTES,
] as const;

/**
 * Registers the console on the server and ties its background work to the server's life: the
 * idle-release check and the queue poll start when the server is ready and stop when it closes.
 */
export function registerOperatorConsole(app: FastifyInstance, deps: OperatorConsoleDeps, overrides: Partial<ConsoleOptions> = {}): { events: ConsoleEvents; tick(): Promise<void> } {
  const options = consoleOptions(process.env, overrides);
  const events = new ConsoleEvents(deps);
  const throttle = new LoginThrottle(deps.clock);
  const devices = new DeviceCookies();

  let streams: { closeStreams(): void } = { closeStreams: () => {} };
  app.register(async (scope) => {
    // The login form (and any console form, with its _csrf field) posts urlencoded fields.
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 64 * 1024 }, (_request, body, done) => {
      done(null, parseQuery(body as string));
    });
    registerAuthRoutes(scope, deps, { throttle, devices });
    streams = registerConsoleRoutes(scope, deps, events, { heartbeatMs: options.heartbeatMs });
    registerSettingsRoutes(scope, deps);
    registerDashboardRoutes(scope, deps);
    registerPatientRoutes(scope, deps);
    registerTextsRoutes(scope, deps);
    registerTeamRoutes(scope, deps);
    registerPasswordRoutes(scope, deps, throttle);
    registerClinicRoutes(scope, deps);
    registerFlowRoutes(scope, deps);
    registerPromoCodeConsoleRoutes(scope, deps);
    registerCertificateConsoleRoutes(scope, deps);
  });
  // Open event streams would keep the server from closing.
  app.addHook("preClose", async () => streams.closeStreams());

  let running: Promise<void> | null = null;
  const tick = async () => {
    if (running) return running;
    running = (async () => {
      try {
        await releaseIdleConversations(deps, events, options.idleMinutes);
        await events.checkEscalations();
      } catch (err) {
        deps.logger.warn({ err }, "console: periodic check failed");
      } finally {
        running = null;
      }
    })();
    return running;
  };
  let timer: NodeJS.Timeout | null = null;
  app.addHook("onReady", async () => {
    timer = setInterval(() => void tick(), options.tickMs);
    timer.unref();
  });
  app.addHook("onClose", async () => {
    if (timer) clearInterval(timer);
    timer = null;
    await running;
    events.close();
  });
  return { events, tick };
}
