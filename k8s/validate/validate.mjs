// Renders kustomizations with `kubectl kustomize` (offline) and validates every rendered object:
// built-in kinds against the Kubernetes JSON schemas of the pinned kubernetes-models package,
// the operators' kinds (Strimzi, CloudNativePG, KEDA, prometheus-operator) against their
// apiVersion and the top-level fields their controllers require.
//
//   node validate.mjs ../base ../overlays/dev ../overlays/prod
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

let kustomizeChecked = false;

/** Fails with a plain reason unless kubectl with kustomize 5 or later is on the PATH. */
function requireKustomize() {
  if (kustomizeChecked) return;
  let version;
  try {
    version = execFileSync("kubectl", ["version", "--client"], { encoding: "utf8" });
  } catch {
    throw new Error("kubectl is not on the PATH: kubectl with kustomize 5 renders the manifests");
  }
  const major = /Kustomize Version: v(\d+)/.exec(version)?.[1];
  if (!major || Number(major) < 5) {
    throw new Error(`kubectl with kustomize 5 or later is needed, found: ${version.trim()}`);
  }
  kustomizeChecked = true;
}

/** Renders one kustomization directory and returns its objects. */
export function render(dir) {
  requireKustomize();
  const out = execFileSync("kubectl", ["kustomize", dir], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return parseAllDocuments(out).map((doc) => {
    if (doc.errors.length) throw new Error(`${dir}: ${doc.errors[0].message}`);
    return doc.toJS();
  }).filter(Boolean);
}

const get = (obj, path) => path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);

/**
 * Custom resources of the operators prod relies on: the apiVersion their CRDs serve and the fields
 * without which their controllers reject or ignore the object.
 */
export const CUSTOM_KINDS = {
  "kafka.strimzi.io/v1beta2/Kafka": ["spec.kafka.listeners", "spec.entityOperator"],
  "kafka.strimzi.io/v1beta2/KafkaNodePool": [
    "metadata.labels.strimzi\\.io/cluster",
    "spec.replicas",
    "spec.roles",
    "spec.storage",
  ],
  "kafka.strimzi.io/v1beta2/KafkaTopic": [
    "metadata.labels.strimzi\\.io/cluster",
    "spec.partitions",
    "spec.replicas",
  ],
  "kafka.strimzi.io/v1beta2/KafkaUser": [
    "metadata.labels.strimzi\\.io/cluster",
    "spec.authentication.type",
    "spec.authorization.acls",
  ],
  "postgresql.cnpg.io/v1/Cluster": ["spec.instances", "spec.storage.size"],
  "postgresql.cnpg.io/v1/Database": ["spec.name", "spec.owner", "spec.cluster.name"],
  "postgresql.cnpg.io/v1/ScheduledBackup": ["spec.schedule", "spec.cluster.name"],
  "keda.sh/v1alpha1/ScaledObject": ["spec.scaleTargetRef.name", "spec.triggers"],
  "keda.sh/v1alpha1/TriggerAuthentication": ["spec.secretTargetRef"],
  "monitoring.coreos.com/v1/ServiceMonitor": ["spec.selector", "spec.endpoints"],
  "monitoring.coreos.com/v1/PodMonitor": ["spec.selector", "spec.podMetricsEndpoints"],
};

function field(obj, path) {
  // "a.b\\.c/d" -> ["a", "b.c/d"]
  const keys = path.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, "."));
  return keys.reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const path = group
    ? `kubernetes-models/${group}/${version}/${kind}`
    : `kubernetes-models/${version}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch {
    return undefined;
  }
}

/** Validates one object; throws with the reason when it is invalid or of an unknown kind. */
export async function validateObject(obj) {
  if (!obj.apiVersion || !obj.kind) throw new Error("no apiVersion or kind");
  if (!get(obj, "metadata.name")) throw new Error("no metadata.name");
  const custom = CUSTOM_KINDS[`${obj.apiVersion}/${obj.kind}`];
  if (custom) {
    for (const path of custom) {
      const value = field(obj, path);
      if (value == null || (Array.isArray(value) && value.length === 0)) {
        throw new Error(`${obj.kind} without ${path.replace(/\\/g, "")}`);
      }
    }
    return;
  }
  const Model = await modelFor(obj.apiVersion, obj.kind);
  if (!Model) throw new Error(`unknown kind ${obj.apiVersion}/${obj.kind}`);
  new Model(obj).validate();
}

/** Validates every object of the rendered directories; returns the failures. */
export async function validateDirs(dirs) {
  const failures = [];
  let checked = 0;
  for (const dir of dirs) {
    for (const obj of render(dir)) {
      try {
        await validateObject(obj);
        checked++;
      } catch (e) {
        failures.push(`${dir}: ${obj?.kind}/${obj?.metadata?.name}: ${e.message}`);
      }
    }
  }
  return { checked, failures };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { checked, failures } = await validateDirs(process.argv.slice(2));
  for (const f of failures) console.error(`INVALID ${f}`);
  console.log(`validated ${checked} Kubernetes objects, ${failures.length} invalid`);
  process.exit(failures.length === 0 && checked > 0 ? 0 : 1);
}
