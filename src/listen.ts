import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Listening {
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one) and returns the bound port and a close that also drops keep-alive connections. */
export async function listen(server: Server, opts: { port: number; host?: string; what: string }): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => reject(new Error(`could not listen on ${opts.host ?? "*"}:${opts.port} for ${opts.what}`, { cause: err })));
    // Without a host, Node listens on every address, IPv4 and IPv6.
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
