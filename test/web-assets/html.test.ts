import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import Fastify from "fastify";
import { html, pageData, raw } from "../../src/web-assets/html.ts";
import { browserBundle, browserPageNames } from "../../src/web-assets/browser-bundles.ts";
import { registerAssetRoutes } from "../../src/web-assets/routes.ts";

describe("html`…`", () => {
  it("escapes every interpolated value unless it is already safe markup", () => {
    const name = `<img src=x onerror="alert('x')">&`;
    const out = html`<p title="${name}">${name}</p>${html`<b>${"ok"}</b>`}${raw("<hr>")}`.toString();
    expect(out).toBe(
      `<p title="&#60;img src=x onerror=&#34;alert(&#39;x&#39;)&#34;&#62;&#38;">&#60;img src=x onerror=&#34;alert(&#39;x&#39;)&#34;&#62;&#38;</p><b>ok</b><hr>`,
    );
  });

  it("joins arrays and drops null, undefined and false", () => {
    expect(html`<ul>${["a<", "b"].map((x) => html`<li>${x}</li>`)}${null}${undefined}${false}${0}</ul>`.toString()).toBe(
      "<ul><li>a&#60;</li><li>b</li>0</ul>",
    );
  });

  it("puts page data where no value can close the script element", () => {
    const out = pageData({ text: "</script><script>alert(1)</script>" }).toString();
    expect(out).not.toContain("</script><script>");
    const json = out.replace(/^<script[^>]*>/, "").replace(/<\/script>$/, "");
    expect(JSON.parse(json)).toEqual({ text: "</script><script>alert(1)</script>" });
  });
});

describe("browser bundles", () => {
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    app = Fastify();
    registerAssetRoutes(app);
    await app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(() => app.close());

  it("bundles every page in src/browser and serves it with a content hash", async () => {
    for (const name of browserPageNames()) {
      const bundle = await browserBundle(name);
      expect(bundle.code.length, name).toBeGreaterThan(0);
      const response = await fetch(`${base}/assets/${name}.js?v=${bundle.hash}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("javascript");
      expect(response.headers.get("cache-control")).toContain("immutable");
      expect(await response.text()).toBe(bundle.code);
    }
  });

  it("answers 404 for a name that is not a page and refuses to bundle it", async () => {
    for (const file of ["nope.js", "..%2Fcli.js", "lib.js", "page-data.js"]) {
      expect((await fetch(`${base}/assets/${file}`)).status, file).toBe(404);
    }
    await expect(browserBundle("../cli")).rejects.toThrow(/no browser page/);
  });
});
