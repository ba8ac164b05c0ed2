// One control plane process (etcd + kube-apiserver): start it, wait for /readyz,
// stop it, start it again on the same ports and data (for watch-recovery tests).
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { rssBytes, stopProcess, track } from "./processes.js";

export interface ApiServerConfig {
  binary: string;
  /** Temp dir of this cluster: etcd data, cert dir and the log live here. */
  dir: string;
  etcdClientPort: number;
  etcdPeerPort: number;
  securePort: number;
  /** kube-apiserver flags (after "--"). */
  flags: string[];
  /** Token used to poll /readyz. */
  readyToken: string;
  readyTimeoutMs?: number;
}

export class ApiServerProcess {
  private child: ChildProcess | undefined;
  private startedAt = 0;
  /** Milliseconds from spawn to /readyz of the last start. */
  lastStartMs = 0;

  constructor(private readonly config: ApiServerConfig) {}

  get logFile(): string {
    return join(this.config.dir, "controlplane.log");
  }

  get certDir(): string {
    return join(this.config.dir, "certs");
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error("the control plane is already running");
    const { binary, dir, etcdClientPort, etcdPeerPort, flags } = this.config;
    const log = openSync(this.logFile, "a");
    const args = [
      "--etcd-data-dir", join(dir, "etcd"),
      "--etcd-client-port", String(etcdClientPort),
      "--etcd-peer-port", String(etcdPeerPort),
      "--", ...flags,
    ];
    this.startedAt = performance.now();
    const child = spawn(binary, args, { detached: true, stdio: ["ignore", log, log] });
    closeSync(log);
    track(child);
    this.child = child;
    child.once("exit", () => {
      if (this.child === child) this.child = undefined;
    });
    await this.waitReady(child);
    this.lastStartMs = performance.now() - this.startedAt;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child) await stopProcess(child);
  }

  async rssBytes(): Promise<number | undefined> {
    return this.pid === undefined ? undefined : rssBytes(this.pid);
  }

  /** The CA bundle the apiserver generated for its self-signed serving certificate. */
  caPem(): string {
    return readFileSync(join(this.certDir, "apiserver.crt"), "utf8");
  }

  lastLogLines(n = 40): string {
    if (!existsSync(this.logFile)) return "";
    return readFileSync(this.logFile, "utf8").trimEnd().split("\n").slice(-n).join("\n");
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const timeoutMs = this.config.readyTimeoutMs ?? 120_000;
    const deadline = performance.now() + timeoutMs;
    let last = "not started";
    while (performance.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the control plane exited (${child.exitCode ?? child.signalCode}) before it was ready; last log lines of ${this.logFile}:\n${this.lastLogLines()}`);
      }
      if (existsSync(join(this.certDir, "apiserver.crt"))) {
        last = await this.probe();
        if (last === "ok") return;
      }
      await sleep(200);
    }
    await this.stop();
    throw new Error(`the control plane was not ready within ${timeoutMs} ms (last /readyz: ${last}); last log lines:\n${this.lastLogLines()}`);
  }

  private probe(): Promise<string> {
    return new Promise((resolve) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: this.config.securePort,
          path: "/readyz",
          ca: this.caPem(),
          headers: { authorization: `Bearer ${this.config.readyToken}` },
          timeout: 5000,
        },
        (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => (body += chunk.toString()));
          res.on("end", () => resolve(res.statusCode === 200 ? "ok" : `${res.statusCode}: ${body.slice(0, 300)}`));
        },
      );
      req.on("error", (err) => resolve(err.message));
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.end();
    });
  }
}
