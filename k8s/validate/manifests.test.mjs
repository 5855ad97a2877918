// Renders k8s/base, k8s/overlays/dev and k8s/overlays/prod with `kubectl kustomize`, validates
// every object (validate.mjs) and checks the deployment policy of k8s/README.md on what renders.
// Run by `mvn test -pl k8s` (node --test).
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { render, validateObject } from "./validate.mjs";

const K8S = join(dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = join(K8S, "..");
const SERVICES = ["profile-service", "eligibility-service", "decision-service", "content-service"];
// the Deployments checked one by one: the services and the marketer console
const WORKLOADS = [...SERVICES, "console"];

// Measured figures (root README "Latest figures", bench/RESULTS.md): RSS after each service's
// benchmarks at -Xmx1g, and the time from SIGTERM to exit (bench/stop-time.sh).
const MEASURED_RSS_MIB = {
  "profile-service": 703,
  "eligibility-service": 638,
  "decision-service": 669,
  "content-service": 571,
  console: 135,
};
const MEASURED_STOP_SECONDS = {
  "profile-service": 0.9,
  "eligibility-service": 2.2,
  "decision-service": 3.9,
  "content-service": 2.3,
  console: 0.3,
};
// the work of these two is a Kafka backlog: prod scales them on consumer lag as well
const LAG_SCALED = ["eligibility-service", "decision-service"];
// who may call each service's HTTP port from inside the cluster
const INTERNAL_CALLERS = {
  "profile-service": ["eligibility-service", "content-service", "console"],
  "eligibility-service": ["decision-service", "console"],
  "decision-service": ["content-service", "console"],
  "content-service": ["console"],
  console: [],
};
// reached from the ingress controller: the frontend API and the console
const PUBLIC = ["content-service", "console"];
const INGRESS_NAMESPACE = "ingress-nginx";

const OVERLAYS = {
  base: join(K8S, "base"),
  dev: join(K8S, "overlays", "dev"),
  prod: join(K8S, "overlays", "prod"),
};
const rendered = Object.fromEntries(Object.entries(OVERLAYS).map(([k, dir]) => [k, render(dir)]));

const byKind = (objs, kind) => objs.filter((o) => o.kind === kind);
const named = (objs, kind, name) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const mebibytes = (q) => {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi)?$/.exec(String(q));
  assert.ok(m, `quantity ${q}`);
  return Number(m[1]) * { Ki: 1 / 1024, Mi: 1, Gi: 1024 }[m[2] ?? "Mi"];
};
const matches = (selector, labels) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);

function yamlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules") return [];
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/**
 * Compacted artifacts with one key, read by every replica from its latest record: one partition,
 * no dead-letter topic (an unreadable artifact is counted and the previous one stays).
 */
const ARTIFACT_TOPICS = new Set(["nextbest.models.v1", "nextbest.campaigns.v1"]);

/** Every topic the code names: nextbest-events Topics and the services' channels, with each .dlq. */
function expectedTopics() {
  const topics = new Set();
  const java = readFileSync(
    join(ROOT, "nextbest-events/src/main/java/io/nextbest/events/Topics.java"),
    "utf8",
  );
  for (const m of java.matchAll(/=\s*"(nextbest\.[^"]+)"/g)) topics.add(m[1]);
  const properties = [
    "nextbest-common/src/main/resources/META-INF/microprofile-config.properties",
    ...SERVICES.map((s) => `${s}/src/main/resources/application.properties`),
  ];
  for (const file of properties) {
    for (const line of readFileSync(join(ROOT, file), "utf8").split("\n")) {
      const m = /^mp\.messaging\.[^=]*\.topic\s*=\s*(\S+)/.exec(line);
      if (m) topics.add(m[1]);
    }
  }
  for (const t of [...topics]) {
    if (!t.endsWith(".dlq") && t !== "nextbest.dead-letters.v1" && !ARTIFACT_TOPICS.has(t)) {
      topics.add(`${t}.dlq`);
    }
  }
  return topics;
}

/** The largest replica count any autoscaler of an overlay may reach. */
function maxReplicas(objs) {
  return Math.max(
    ...byKind(objs, "HorizontalPodAutoscaler").map((h) => h.spec.maxReplicas),
    ...byKind(objs, "ScaledObject").map((s) => s.spec.maxReplicaCount),
  );
}

for (const [overlay, objs] of Object.entries(rendered)) {
  describe(`${overlay}: rendered objects`, () => {
    test("renders and every object is valid", async () => {
      assert.ok(objs.length > 0);
      for (const obj of objs) {
        await validateObject(obj).catch((e) => {
          throw new Error(`${obj.kind}/${obj.metadata?.name}: ${e.message}`);
        });
      }
    });

    test("no selector carries the version label", () => {
      const selectors = (o) => [
        o.spec?.selector,
        o.spec?.podSelector,
        ...(o.spec?.ingress ?? []).flatMap((r) => (r.from ?? []).map((f) => f.podSelector)),
        ...(o.spec?.template?.spec?.topologySpreadConstraints ?? []).map((t) => t.labelSelector),
      ];
      for (const o of objs) {
        for (const s of selectors(o)) {
          assert.ok(
            !JSON.stringify(s ?? {}).includes("app.kubernetes.io/version"),
            `${o.kind}/${o.metadata.name} selects on the version`,
          );
        }
      }
    });

    test("Services, PDBs and autoscalers find their pods and targets", () => {
      const workloads = [...byKind(objs, "Deployment"), ...byKind(objs, "StatefulSet")];
      const selects = (selector) =>
        workloads.some((w) => matches({ matchLabels: selector }, w.spec.template.metadata.labels));
      for (const s of byKind(objs, "Service")) {
        assert.ok(selects(s.spec.selector), `Service ${s.metadata.name} selects no pod`);
      }
      for (const p of byKind(objs, "PodDisruptionBudget")) {
        assert.ok(selects(p.spec.selector.matchLabels), `PDB ${p.metadata.name} selects no pod`);
      }
      for (const a of [
        ...byKind(objs, "HorizontalPodAutoscaler"),
        ...byKind(objs, "ScaledObject"),
      ]) {
        assert.ok(
          named(objs, "Deployment", a.spec.scaleTargetRef.name),
          `${a.kind} ${a.metadata.name} scales nothing`,
        );
      }
    });

    test("no Secret is rendered: Secrets come from the environment", () => {
      assert.deepEqual(byKind(objs, "Secret").map((s) => s.metadata.name), []);
    });

    test("every Secret referenced is documented in k8s/README.md", () => {
      const readme = readFileSync(join(K8S, "README.md"), "utf8");
      const names = new Set();
      JSON.stringify(objs, (key, value) => {
        if (key === "secretKeyRef" || key === "secretRef") names.add(value.name);
        if (key === "secret" && value?.secretName) names.add(value.secretName);
        if (key === "passwordSecret") names.add(value.name);
        if (key === "s3Credentials") Object.values(value).forEach((r) => names.add(r.name));
        if (key === "secretTargetRef") value.forEach((r) => names.add(r.name));
        return value;
      });
      for (const name of names) {
        assert.ok(readme.includes(`\`${name}\``), `Secret ${name} is not in k8s/README.md`);
      }
    });

    test("a default-deny ingress policy", () => {
      const deny = byKind(objs, "NetworkPolicy").find(
        (p) => Object.keys(p.spec.podSelector ?? {}).length === 0 && !p.spec.ingress,
      );
      assert.ok(deny, "no default-deny NetworkPolicy");
      assert.deepEqual(deny.spec.policyTypes, ["Ingress"]);
    });

    for (const service of WORKLOADS) {
      describe(service, () => {
        const deployment = named(objs, "Deployment", service);
        const pod = deployment?.spec?.template;

        test("Deployment: replicas, rolling update, selector", () => {
          assert.ok(deployment, "no Deployment");
          assert.ok(deployment.spec.replicas >= 2, "replicas < 2");
          assert.equal(deployment.spec.strategy?.type, "RollingUpdate");
          assert.notEqual(deployment.spec.strategy.rollingUpdate?.maxUnavailable, undefined);
          assert.notEqual(deployment.spec.strategy.rollingUpdate?.maxSurge, undefined);
          assert.deepEqual(Object.keys(deployment.spec.selector.matchLabels), [
            "app.kubernetes.io/name",
          ]);
          assert.ok(matches(deployment.spec.selector, pod.metadata.labels));
        });

        test("containers: probes, resources from the measured RSS, locked down", () => {
          const podSecurity = pod.spec.securityContext ?? {};
          for (const c of pod.spec.containers) {
            const where = `${service}/${c.name}`;
            assert.equal(c.livenessProbe?.httpGet?.path, "/q/health/live", where);
            assert.equal(c.readinessProbe?.httpGet?.path, "/q/health/ready", where);
            const { requests = {}, limits = {} } = c.resources ?? {};
            assert.ok(requests.cpu, `${where}: no CPU request`);
            for (const q of [requests.memory, limits.memory]) {
              assert.ok(q, `${where}: no memory request or limit`);
              assert.ok(
                mebibytes(q) >= MEASURED_RSS_MIB[service],
                `${where}: ${q} below the measured ${MEASURED_RSS_MIB[service]} MiB`,
              );
            }
            const security = c.securityContext ?? {};
            assert.equal(security.runAsNonRoot ?? podSecurity.runAsNonRoot, true, where);
            assert.equal(security.readOnlyRootFilesystem, true, where);
            assert.equal(security.allowPrivilegeEscalation, false, where);
            assert.ok(security.capabilities?.drop?.includes("ALL"), `${where}: drop ALL`);
            const tmp = c.volumeMounts?.find((m) => m.mountPath === "/tmp");
            assert.ok(tmp, `${where}: no writable /tmp`);
            assert.ok(pod.spec.volumes.find((v) => v.name === tmp.name)?.emptyDir, where);
          }
        });

        test("graceful stop fits the grace period", () => {
          const c = pod.spec.containers[0];
          const preStop = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
          const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
          assert.ok(
            grace >= preStop + 2 * MEASURED_STOP_SECONDS[service],
            `${grace} s < preStop ${preStop} s + twice the measured stop`,
          );
        });

        test("the JWT key set is readable by the non-root user", () => {
          const c = pod.spec.containers[0];
          const mount = c.volumeMounts.find((m) => m.mountPath === "/etc/nextbest/jwt");
          assert.ok(mount, "no JWT mount");
          const volume = pod.spec.volumes.find((v) => v.name === mount.name);
          assert.equal(volume.secret?.secretName, "nextbest-jwt");
          const mode = volume.secret.defaultMode ?? 0o644;
          const byGroup = pod.spec.securityContext?.fsGroup != null && (mode & 0o040) !== 0;
          assert.ok(byGroup || (mode & 0o004) !== 0, "the key set is not readable");
          const env = Object.fromEntries(c.env.map((e) => [e.name, e.value]));
          assert.equal(env.NEXTBEST_JWT_PUBLIC_KEY, "/etc/nextbest/jwt/jwks.json");
        });

        test("PodDisruptionBudget", () => {
          const pdb = byKind(objs, "PodDisruptionBudget").find((p) =>
            matches(p.spec.selector, pod.metadata.labels),
          );
          assert.ok(pdb, "no PodDisruptionBudget");
          assert.ok(pdb.spec.maxUnavailable != null || pdb.spec.minAvailable != null);
        });

        test("autoscaling on CPU (and on consumer lag where the work is a backlog)", () => {
          const hpa = byKind(objs, "HorizontalPodAutoscaler").find(
            (h) => h.spec.scaleTargetRef.name === service,
          );
          const scaled = byKind(objs, "ScaledObject").find(
            (s) => s.spec.scaleTargetRef.name === service,
          );
          assert.ok(!(hpa && scaled), "both an HPA and a ScaledObject");
          if (scaled) {
            assert.ok(scaled.spec.minReplicaCount >= 2);
            const types = scaled.spec.triggers.map((t) => t.type);
            assert.ok(types.includes("cpu") && types.includes("kafka"), String(types));
          } else {
            assert.ok(hpa, "no HorizontalPodAutoscaler");
            assert.ok(hpa.spec.minReplicas >= 2);
            assert.ok(hpa.spec.maxReplicas >= hpa.spec.minReplicas);
            assert.ok(
              hpa.spec.metrics.some((m) => m.resource?.name === "cpu"),
              "HPA not on CPU",
            );
          }
          if (overlay === "prod" && LAG_SCALED.includes(service)) {
            assert.ok(scaled, "prod scales it on consumer lag (ScaledObject)");
          }
        });

        test("NetworkPolicy: only the intended callers reach the port", () => {
          const policies = byKind(objs, "NetworkPolicy").filter(
            (p) =>
              Object.keys(p.spec.podSelector?.matchLabels ?? {}).length > 0 &&
              matches(p.spec.podSelector, pod.metadata.labels),
          );
          assert.ok(policies.length > 0, "no NetworkPolicy selects it");
          const rules = policies.flatMap((p) => p.spec.ingress ?? []);
          const callers = new Set();
          for (const rule of rules) {
            assert.ok(rule.from?.length > 0, "a rule open to every caller");
            assert.ok(rule.ports?.length > 0, "a rule open on every port");
            for (const from of rule.from) {
              assert.ok(!from.ipBlock, "an ipBlock caller");
              assert.ok(
                from.podSelector || Object.keys(from.namespaceSelector?.matchLabels ?? {}).length,
                "a caller matching every namespace",
              );
              const name = from.podSelector?.matchLabels?.["app.kubernetes.io/name"];
              if (name && !from.namespaceSelector) callers.add(name);
              const ns = from.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"];
              if (ns) callers.add(`namespace:${ns}`);
            }
          }
          for (const caller of INTERNAL_CALLERS[service]) {
            assert.ok(callers.has(caller), `${caller} cannot call it`);
          }
          for (const other of WORKLOADS) {
            if (!INTERNAL_CALLERS[service].includes(other)) {
              assert.ok(!callers.has(other), `${other} may call it`);
            }
          }
          assert.equal(
            callers.has(`namespace:${INGRESS_NAMESPACE}`),
            PUBLIC.includes(service),
            "only content-service and the console are reached from the ingress controller",
          );
        });
      });
    }

    test("an Ingress for content-service's frontend API and one for the console, nothing else", () => {
      const ingresses = byKind(objs, "Ingress");
      assert.equal(ingresses.length, 2);
      const api = named(objs, "Ingress", "content-service");
      const backends = api.spec.rules.flatMap((r) => r.http.paths);
      assert.ok(backends.some((p) => p.path === "/api/v1/content"));
      for (const p of backends) assert.equal(p.backend.service.name, "content-service");
      const ui = named(objs, "Ingress", "console");
      const hosts = new Set(api.spec.rules.map((r) => r.host));
      for (const rule of ui.spec.rules) {
        assert.ok(!hosts.has(rule.host), "the console shares the frontend API's host");
        for (const p of rule.http.paths) assert.equal(p.backend.service.name, "console");
      }
      if (overlay === "prod") assert.ok(ui.spec.tls?.length > 0, "the console without TLS");
      const d = named(objs, "Deployment", "console").spec.template.spec.containers[0];
      const env = Object.fromEntries(d.env.map((e) => [e.name, e.value]));
      assert.equal(env.NEXTBEST_CONSOLE_SECURE_COOKIES, "true");
    });

    test("Redis evicts at maxmemory within its memory limit", () => {
      const redis = named(objs, "Deployment", "redis");
      assert.ok(redis, "no Redis");
      const c = redis.spec.template.spec.containers[0];
      const args = c.args.join(" ");
      const max = /--maxmemory (\d+)mb/.exec(args);
      assert.ok(max, "no maxmemory");
      assert.match(args, /--maxmemory-policy allkeys-lru/);
      assert.ok(mebibytes(c.resources.limits.memory) >= Number(max[1]) * 1.2);
    });
  });
}

describe("topics", () => {
  const topics = expectedTopics();

  test("the code names the six topics and their dead-letter topics", () => {
    for (const t of ["events", "profiles", "eligibility", "decisions", "outcomes", "privacy"]) {
      assert.ok(topics.has(`nextbest.${t}.v1`) && topics.has(`nextbest.${t}.v1.dlq`), t);
    }
  });

  test("prod: a KafkaTopic for every topic, partitions >= maxReplicas, replication 3", () => {
    const objs = rendered.prod;
    const max = maxReplicas(objs);
    const kafkaTopics = new Map(
      byKind(objs, "KafkaTopic").map((t) => [t.spec.topicName ?? t.metadata.name, t]),
    );
    for (const topic of topics) {
      const t = kafkaTopics.get(topic);
      assert.ok(t, `no KafkaTopic ${topic}`);
      if (ARTIFACT_TOPICS.has(topic)) {
        assert.equal(t.spec.partitions, 1, topic);
        assert.equal(t.spec.config["cleanup.policy"], "compact", topic);
        assert.ok(t.spec.config["max.message.bytes"] >= 16777216, topic);
      } else {
        assert.ok(t.spec.partitions >= max, `${topic}: ${t.spec.partitions} < ${max}`);
      }
      assert.equal(t.spec.replicas, 3, topic);
    }
    const profiles = kafkaTopics.get("nextbest.profiles.v1").spec.config;
    assert.equal(profiles["cleanup.policy"], "compact");
    assert.ok(profiles["max.compaction.lag.ms"] > 0);
  });

  test("prod: a ServiceMonitor scrapes /q/metrics on every service's port", () => {
    const objs = rendered.prod;
    const monitors = byKind(objs, "ServiceMonitor");
    assert.ok(monitors.length > 0, "no ServiceMonitor");
    for (const name of SERVICES) {
      const service = named(objs, "Service", name);
      const monitor = monitors.find((m) => matches(m.spec.selector, service.metadata.labels));
      assert.ok(monitor, `no ServiceMonitor selects ${name}`);
      assert.ok(
        monitor.spec.namespaceSelector.matchNames.includes(service.metadata.namespace),
        `${name}: namespace ${service.metadata.namespace}`,
      );
      const endpoint = monitor.spec.endpoints.find((e) =>
        service.spec.ports.some((p) => p.name === e.port),
      );
      assert.ok(endpoint, `${name}: no endpoint names a port of the Service`);
      assert.equal(endpoint.path, "/q/metrics", name);
    }
  });

  test("dev: the broker creates every topic, partitions >= maxReplicas", () => {
    const objs = rendered.dev;
    const max = maxReplicas(objs);
    const lines = named(objs, "ConfigMap", "kafka-topics").data["topics.txt"].trim().split("\n");
    const created = new Map(lines.map((l) => [l.split(/\s+/)[0], l]));
    for (const topic of topics) {
      const line = created.get(topic);
      assert.ok(line, `topic ${topic} is not created`);
      if (ARTIFACT_TOPICS.has(topic)) {
        assert.equal(Number(line.split(/\s+/)[1]), 1, line);
        assert.match(line, /cleanup\.policy=compact/);
      } else {
        assert.ok(Number(line.split(/\s+/)[1]) >= max, line);
      }
    }
    assert.match(created.get("nextbest.profiles.v1"), /cleanup\.policy=compact/);
    assert.match(created.get("nextbest.profiles.v1"), /max\.compaction\.lag\.ms=\d+/);
    const kafka = named(objs, "StatefulSet", "kafka").spec.template.spec.containers[0];
    assert.ok(
      kafka.env.some((e) => e.name === "KAFKA_AUTO_CREATE_TOPICS_ENABLE" && e.value === "false"),
    );
  });

  test("prod: a KafkaUser per service with ACLs on its topics and groups", () => {
    const objs = rendered.prod;
    for (const service of SERVICES) {
      const user = named(objs, "KafkaUser", service);
      assert.ok(user, `no KafkaUser ${service}`);
      const acls = user.spec.authorization.acls;
      assert.ok(acls.some((a) => a.resource.type === "group" && a.resource.name === service));
      for (const a of acls) assert.notEqual(a.resource.name, "*", "a wildcard ACL");
      const deployment = named(objs, "Deployment", service).spec.template.spec.containers[0];
      const jaas = deployment.env.find((e) => e.name === "KAFKA_SASL_JAAS_CONFIG");
      assert.equal(jaas?.valueFrom?.secretKeyRef?.name, service);
    }
  });
});

describe("prod: Kafka ACLs follow the channels", () => {
  test("each service may write the topics it publishes and read the topics it consumes", () => {
    for (const service of SERVICES) {
      const acls = named(rendered.prod, "KafkaUser", service).spec.authorization.acls;
      const properties = readFileSync(
        join(ROOT, `${service}/src/main/resources/application.properties`),
        "utf8",
      );
      const channels = /^mp\.messaging\.(incoming|outgoing)\.[^.]+\.topic\s*=\s*(\S+)/gm;
      for (const [, direction, topic] of properties.matchAll(channels)) {
        const operation = direction === "incoming" ? "Read" : "Write";
        assert.ok(
          acls.some(
            (a) =>
              a.resource.type === "topic" &&
              a.resource.name === topic &&
              a.operations.includes(operation),
          ),
          `${service}: no ${operation} ACL on ${topic}`,
        );
      }
    }
  });
});

describe("prod: PostgreSQL by CloudNativePG", () => {
  const objs = rendered.prod;

  test("one database per service, owned by its role, backups configured", () => {
    const cluster = byKind(objs, "Cluster")[0];
    assert.ok(cluster.spec.instances >= 3);
    assert.ok(cluster.spec.backup?.barmanObjectStore?.destinationPath, "no backup target");
    assert.ok(cluster.spec.backup.retentionPolicy);
    const scheduled = byKind(objs, "ScheduledBackup").find(
      (b) => b.spec.cluster.name === cluster.metadata.name,
    );
    assert.ok(scheduled, "no ScheduledBackup");
    const roles = cluster.spec.managed.roles.map((r) => r.name);
    const databases = byKind(objs, "Database");
    for (const service of SERVICES) {
      const db = `nextbest_${service.replace("-service", "")}`;
      const database = databases.find((d) => d.spec.name === db);
      assert.ok(database, `no database ${db}`);
      assert.ok(roles.includes(database.spec.owner));
      const role = cluster.spec.managed.roles.find((r) => r.name === database.spec.owner);
      assert.equal(role.passwordSecret.name, `nextbest-db-${service}`);
    }
  });
});

describe("the repository", () => {
  test("holds no Secret with values", () => {
    for (const file of yamlFiles(K8S)) {
      for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
        const obj = doc.toJS();
        if (obj?.kind === "Secret") {
          assert.ok(!obj.data && !obj.stringData, `${file}: Secret ${obj.metadata?.name}`);
        }
        for (const kind of ["secretGenerator"]) {
          assert.ok(!obj?.[kind], `${file}: ${kind}`);
        }
      }
    }
  });

  test("every NEXTBEST_ variable the Deployments set is read by the services' configuration", () => {
    const config = [
      "nextbest-common/src/main/resources/META-INF/microprofile-config.properties",
      ...WORKLOADS.map((s) => `${s}/src/main/resources/application.properties`),
    ]
      .map((f) => readFileSync(join(ROOT, f), "utf8"))
      .join("\n");
    for (const overlay of Object.values(rendered)) {
      for (const d of byKind(overlay, "Deployment")) {
        for (const c of d.spec.template.spec.containers) {
          const names = [
            ...(c.env ?? []).map((e) => e.name),
            ...Object.keys(named(overlay, "ConfigMap", "nextbest-config")?.data ?? {}),
          ];
          for (const name of names.filter((n) => n.startsWith("NEXTBEST_"))) {
            assert.ok(config.includes(`\${${name}`), `${name} is read nowhere`);
          }
        }
      }
    }
  });
});
