// A loopback TCP proxy a test can cut and restore, to make a server (PostgreSQL) unreachable for a
// while without touching it: cut() drops every open connection and refuses new ones until restore().
import net from "node:net";
import type { AddressInfo, Socket } from "node:net";

export interface TcpProxy {
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string;
  /** Drops every connection through the proxy and refuses new ones. */
  cut(): void;
  restore(): void;
  readonly isCut: boolean;
  /** Connections accepted so far (refused ones included). */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Socket>();
  let cut = false;
  let connections = 0;
  const server = net.createServer((client) => {
    connections++;
    if (cut) {
      client.destroy(); // as a dead host's RST: the client sees the connection fail at once
      return;
    }
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      pairs.add(s);
      s.on("close", () => pairs.delete(s));
      s.on("error", () => {}); // the other side's close reports it; nothing to do here
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    cut() {
      cut = true;
      for (const s of pairs) s.destroy();
    },
    restore() {
      cut = false;
    },
    get isCut() {
      return cut;
    },
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of pairs) s.destroy();
        server.close(() => resolve());
      }),
  };
}
