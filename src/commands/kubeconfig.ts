import { KubeConfig } from "@kubernetes/client-node";
import { UsageError } from "./types.js";

/** The kubeconfig a command uses: --kubeconfig FILE, else KUBECONFIG or ~/.kube/config; --context picks a context. */
export function loadKubeConfig(file: string | undefined, context: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (file) kc.loadFromFile(file);
    else kc.loadFromDefault();
    if (context) kc.setCurrentContext(context);
  } catch (cause) {
    throw new UsageError(`cannot load the kubeconfig${file ? ` ${file}` : ""}: ${(cause as Error).message}`);
  }
  if (!kc.getCurrentCluster()) throw new UsageError("no current cluster in the kubeconfig: pass --kubeconfig or --context, or set KUBECONFIG");
  return kc;
}
