import { describe, expect, it } from "vitest";
import { resolveAlertTarget, targetKey } from "./alert-target.js";

describe("resolveAlertTarget", () => {
  it("takes spec.target as it is", () => {
    const target = { kind: "Deployment" as const, namespace: "shop", name: "web", container: "app" };
    expect(resolveAlertTarget({ target, labels: { namespace: "other", pod: "x" } }, "alerts")).toEqual({ target, from: "spec" });
  });

  it("reads a pod and its container (kube-state-metrics / cAdvisor labels)", () => {
    expect(resolveAlertTarget({ labels: { alertname: "KubePodCrashLooping", namespace: "shop", pod: "web-1", container: "web", job: "kube-state-metrics" } }, "alerts")).toEqual({
      target: { kind: "Pod", namespace: "shop", name: "web-1", container: "web" },
      pod: "web-1",
      from: "labels",
    });
  });

  it("prefers the workload and keeps the pod to look at first", () => {
    expect(resolveAlertTarget({ labels: { namespace: "shop", deployment: "web", pod: "web-5d9c-abcde" } }, "alerts")).toEqual({
      target: { kind: "Deployment", namespace: "shop", name: "web" },
      pod: "web-5d9c-abcde",
      from: "labels",
    });
  });

  it.each([
    ["statefulset", "StatefulSet"],
    ["daemonset", "DaemonSet"],
    ["job_name", "Job"],
    ["cronjob", "CronJob"],
  ])("maps the %s label to %s", (labelName, kind) => {
    expect(resolveAlertTarget({ labels: { namespace: "shop", [labelName]: "w" } }, "alerts").target).toEqual({ kind, namespace: "shop", name: "w" });
  });

  it("does not take Prometheus' scrape job for a Job", () => {
    expect(resolveAlertTarget({ labels: { namespace: "shop", job: "kubernetes-pods" } }, "alerts").target.kind).toBe("Namespace");
  });

  it("reads exported_ labels when the scrape target's labels took the plain names", () => {
    expect(resolveAlertTarget({ labels: { namespace: "monitoring", exported_namespace: "shop", exported_pod: "web-1" } }, "alerts").target).toMatchObject({
      namespace: "monitoring",
    });
    expect(resolveAlertTarget({ labels: { exported_namespace: "shop", exported_pod: "web-1", exported_container: "web" } }, "alerts").target).toEqual({
      kind: "Pod",
      namespace: "shop",
      name: "web-1",
      container: "web",
    });
  });

  it("ignores the pause container and invalid names", () => {
    expect(resolveAlertTarget({ labels: { namespace: "shop", pod: "web-1", container: "POD" } }, "alerts").target).toEqual({ kind: "Pod", namespace: "shop", name: "web-1" });
    expect(resolveAlertTarget({ labels: { namespace: "Shop!", pod: "web-1" } }, "alerts").target).toEqual({ kind: "Namespace", namespace: "alerts", name: "alerts" });
  });

  it("falls back to the whole namespace", () => {
    expect(resolveAlertTarget({ labels: { namespace: "shop", service: "web" } }, "alerts")).toEqual({ target: { kind: "Namespace", namespace: "shop", name: "shop" }, from: "namespace" });
    expect(resolveAlertTarget({}, "alerts")).toEqual({ target: { kind: "Namespace", namespace: "alerts", name: "alerts" }, from: "namespace" });
  });
});

describe("targetKey", () => {
  it("is namespace/kind/name", () => {
    expect(targetKey({ namespace: "shop", kind: "Deployment", name: "web" })).toBe("shop/Deployment/web");
  });
});
