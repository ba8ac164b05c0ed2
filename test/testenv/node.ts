// The Node object a kubelet registers: addresses, daemon endpoint, capacity, Ready.
import type { CoreV1Api, V1Node } from "@kubernetes/client-node";

export interface NodeInput {
  name: string;
  kubeletPort: number;
  kubeletVersion: string;
  now: Date;
}

export function nodeObject(input: NodeInput): V1Node {
  const resources = { cpu: "8", memory: "32Gi", pods: "110", "ephemeral-storage": "100Gi" };
  const condition = (type: string, status: string, reason: string, message: string): Record<string, unknown> => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: input.now,
    lastTransitionTime: input.now,
  });
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: input.name,
      labels: {
        "kubernetes.io/hostname": input.name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "beta.kubernetes.io/arch": "amd64",
      },
    },
    spec: {},
    status: {
      addresses: [
        { type: "InternalIP", address: "127.0.0.1" },
        { type: "Hostname", address: input.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: input.kubeletPort } },
      capacity: resources,
      allocatable: resources,
      conditions: [
        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
      ] as never,
      nodeInfo: {
        architecture: "amd64",
        bootID: "00000000-0000-0000-0000-000000000001",
        containerRuntimeVersion: "containerd://2.1.0",
        kernelVersion: "6.1.0",
        kubeProxyVersion: "",
        kubeletVersion: input.kubeletVersion,
        machineID: "testenv",
        operatingSystem: "linux",
        osImage: "Debian GNU/Linux 12 (bookworm)",
        systemUUID: "00000000-0000-0000-0000-000000000001",
      },
    },
  };
}

/** Creates the Node (or takes it over) and writes its status through the status subresource. */
export async function registerNode(core: CoreV1Api, input: NodeInput): Promise<V1Node> {
  const desired = nodeObject(input);
  let current: V1Node;
  try {
    current = await core.createNode({ body: desired });
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw new Error(`could not register Node ${input.name}`, { cause: err });
    current = await core.readNode({ name: input.name });
  }
  return core.replaceNodeStatus({ name: input.name, body: { ...current, status: desired.status } });
}
