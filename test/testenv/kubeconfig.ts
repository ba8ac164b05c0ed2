import { KubeConfig } from "@kubernetes/client-node";

export interface KubeConfigInput {
  server: string;
  caPem: string;
  user: string;
  token: string;
}

/** A KubeConfig with one cluster, one token user and one context named "testenv". */
export function tokenKubeConfig(input: KubeConfigInput): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "testenv", server: input.server, caData: Buffer.from(input.caPem).toString("base64"), skipTLSVerify: false }],
    users: [{ name: input.user, token: input.token }],
    contexts: [{ name: "testenv", cluster: "testenv", user: input.user, namespace: "default" }],
    currentContext: "testenv",
  });
  return kc;
}
