package io.kubelvs.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubelvs.agent.config.GlobalDefs;
import io.kubelvs.agent.config.KeepalivedConf;
import io.kubelvs.agent.config.KeepalivedConfException;
import io.kubelvs.agent.config.KeepalivedNodeConfig;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.config.VrrpConfig;
import io.kubelvs.agent.vrrp.VrrpInstanceConfig;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import io.kubelvs.api.schema.CrdValidator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed scenario both ways: the Director the operator plans for the seed's first node maps to
 * the config the engine gets from samples/keepalived/keepalived.conf, except where the two
 * legitimately differ, each said below.
 */
class DirectorSpecsSeedTest {
  // Tests run in agent/; samples and CRDs live at the repository root.
  private static final Path SAMPLES = Path.of("..", "samples");
  private static final Path SEED_DIRECTOR =
      Path.of("src", "test", "resources", "kube", "seed-director.yaml");
  private static final CrdValidator CRDS =
      CrdValidator.load(Path.of("..", "crds", "directors.kubelvs.io.yaml"));

  /** keepalived's router_id and HELO name default to the host name, the Director's node. */
  private static final String NODE = "director-1";

  private static JsonNode directorYaml;
  private static NodeConfig keepalived;
  private static MappedDirector mapped;

  @BeforeAll
  static void mapBoth() throws KeepalivedConfException, DirectorSpecException {
    keepalived =
        KeepalivedNodeConfig.read(
            KeepalivedConf.parse(SAMPLES.resolve("keepalived").resolve("keepalived.conf")), NODE);
    directorYaml = CrdValidator.readYaml(SEED_DIRECTOR).get(0);
    mapped =
        DirectorSpecs.map(
            TestDirectors.fromTree(directorYaml), seedSecrets(), InterfaceResolver.NONE);
  }

  /** samples/seed/vrrp-auth-secret.yaml, as the agent's Secret reader would see it. */
  private static SecretReader seedSecrets() {
    JsonNode secret =
        CrdValidator.readYaml(SAMPLES.resolve("seed").resolve("vrrp-auth-secret.yaml")).get(0);
    return SecretReader.of(
        secret.path("metadata").path("namespace").asText(),
        Map.of(
            secret.path("metadata").path("name").asText(),
            Map.of("password", secret.path("stringData").path("password").asText())));
  }

  @Test
  void theSeedDirectorIsValidAgainstTheCheckedInCrd() {
    assertThat(CRDS.validate(directorYaml).errors()).isEmpty();
  }

  @Test
  void theSeedDirectorSaysWhatTheSeedSamplesSay() {
    JsonNode pool =
        CrdValidator.readYaml(SAMPLES.resolve("seed").resolve("directorpool.yaml"))
            .get(0)
            .path("spec");
    JsonNode web =
        CrdValidator.readYaml(SAMPLES.resolve("seed").resolve("virtualservice.yaml"))
            .get(0)
            .path("spec");
    JsonNode instance = directorYaml.path("spec").path("vrrpInstances").get(0);
    JsonNode vs = instance.path("virtualServers").get(0);

    assertThat(instance.path("interface")).isEqualTo(pool.path("interface"));
    assertThat(instance.path("multicastGroup")).isEqualTo(pool.path("vrrp").path("multicastGroup"));
    assertThat(instance.path("advertInterval")).isEqualTo(pool.path("vrrp").path("advertInterval"));
    assertThat(instance.path("authentication")).isEqualTo(pool.path("vrrp").path("authentication"));
    assertThat(directorYaml.path("spec").path("notification")).isEqualTo(pool.path("notification"));
    assertThat(vs.path("vip")).isEqualTo(web.path("vip"));
    assertThat(vs.path("healthCheck")).isEqualTo(web.path("healthCheck"));
    assertThat(vs.path("sorryServer")).isEqualTo(web.path("sorryServer"));
    for (int i = 0; i < 2; i++) {
      JsonNode planned = vs.path("realServers").get(i).deepCopy();
      // The operator resolves each real server's forwarding from the VirtualService's.
      assertThat(planned.path("forwarding")).isEqualTo(web.path("forwarding"));
      ((com.fasterxml.jackson.databind.node.ObjectNode) planned).remove("forwarding");
      assertThat(planned).isEqualTo(web.path("realServers").get(i));
    }
  }

  @Test
  void theWholeConfigIsKeepalivedsButForTheRouterIdAndTheInstanceName() {
    // router_id: the seed file names the director LVS_DEVEL; a Director is named after its node.
    assertThat(keepalived.global().routerId()).isEqualTo("LVS_DEVEL");
    assertThat(mapped.config().global().routerId()).isEqualTo(NODE);
    // vrrp_instance VI_1: the operator names an instance after its pool and VRID.
    assertThat(keepalived.vrrp().smtpAlert()).containsExactly("VI_1");
    assertThat(mapped.config().vrrp().smtpAlert()).containsExactly("seed-99");

    GlobalDefs global = keepalived.global();
    NodeConfig expected =
        new NodeConfig(
            new GlobalDefs(
                NODE,
                global.notificationEmails(),
                global.notificationFrom(),
                global.smtpServer(),
                global.smtpConnectTimeout()),
            new VrrpConfig(
                keepalived.vrrp().runners().stream()
                    .map(r -> renamed(r, "VI_1", "seed-99"))
                    .toList(),
                Set.of("seed-99")),
            keepalived.virtualServers(),
            keepalived.notifications());
    assertThat(mapped.config()).isEqualTo(expected);
  }

  @Test
  void theVrrpRunnerHasTheSeedsInterfaceGroupPasswordAndVip() {
    VrrpRunnerConfig runner = mapped.config().vrrp().runners().get(0);

    assertThat(mapped.config().vrrp().runners()).hasSize(1);
    assertThat(runner.interfaceName()).isEqualTo("eno16777736");
    assertThat(runner.group().getHostAddress()).isEqualTo("224.0.100.99");
    assertThat(runner.password()).contains("571f97b2");
    assertThat(runner.virtualAddresses())
        .extracting(Object::toString)
        .containsExactly("172.16.53.50/32");
    VrrpInstanceConfig instance = runner.instances().get(0);
    assertThat(instance.vrid()).isEqualTo(99);
    assertThat(instance.priority()).isEqualTo(100);
    assertThat(instance.garp()).isEqualTo(VrrpInstanceConfig.Garp.KEEPALIVED_DEFAULTS);
    assertThat(mapped.interfacesByInstance()).containsExactly(Map.entry("seed-99", "eno16777736"));
  }

  @Test
  void theVirtualServerIsKnownToTheStatusByItsSpecName() {
    assertThat(mapped.virtualServerIdsByName())
        .containsExactly(Map.entry("default/seed-web/80-tcp", "172.16.53.50:80/TCP"));
    assertThat(mapped.virtualServerName("172.16.53.50:80/TCP")).contains("default/seed-web/80-tcp");
    assertThat(mapped.virtualServerName("172.16.53.50:443/TCP")).isEmpty();
    assertThat(mapped.config().virtualServers().get(0).checks().id())
        .isEqualTo("172.16.53.50:80/TCP");
  }

  @Test
  void theSchemasDefaultsChangeNothing() throws DirectorSpecException {
    // The API server fills every default before the agent reads a Director; the mapping fills the
    // same ones, so a Director built without the API server maps alike.
    JsonNode defaulted = CRDS.applyDefaults(directorYaml);
    assertThat(defaulted).isNotEqualTo(directorYaml);

    MappedDirector fromApiServer =
        DirectorSpecs.map(TestDirectors.fromTree(defaulted), seedSecrets(), InterfaceResolver.NONE);

    assertThat(fromApiServer).isEqualTo(mapped);
  }

  @Test
  void aMinimalDirectorTakesTheSchemasDefaultsLikeTheApiServer() throws DirectorSpecException {
    JsonNode minimal =
        TestDirectors.tree(
            TestDirectors.yaml(
                TestDirectors.inInstanceSpec(
                    """
                name: web/seed-http/80-tcp
                vip: 198.18.0.50
                port: 80
                scheduler: wlc
                persistence: {}
                realServers:
                  - {address: 198.18.0.101, port: 80}
                healthCheck:
                  httpGet: {}
                sorryServer: {address: 198.18.0.9, port: 80}
                """)));
    JsonNode defaulted = CRDS.applyDefaults(minimal);
    assertThat(CRDS.validate(minimal).errors()).isEmpty();

    assertThat(TestDirectors.map(TestDirectors.fromTree(defaulted)))
        .isEqualTo(TestDirectors.map(TestDirectors.fromTree(minimal)));
  }

  /**
   * {@code runner} with instance {@code from} called {@code to}, and without {@code state MASTER}:
   * a Director has no initial state, the operator places the masters by priority.
   */
  private static VrrpRunnerConfig renamed(VrrpRunnerConfig runner, String from, String to) {
    List<VrrpInstanceConfig> instances =
        runner.instances().stream()
            .map(
                i ->
                    !i.name().equals(from)
                        ? i
                        : new VrrpInstanceConfig(
                            to,
                            i.version(),
                            i.vrid(),
                            i.priority(),
                            i.advertInterval(),
                            i.primaryAddress(),
                            i.virtualAddresses(),
                            i.preempt(),
                            i.preemptDelay(),
                            i.unicastPeers(),
                            i.garp(),
                            i.handOverWait(),
                            i.trackScripts(),
                            i.trackInterfaces(),
                            i.trackFiles(),
                            false))
            .toList();
    return new VrrpRunnerConfig(
        runner.interfaceName(),
        runner.family(),
        runner.group(),
        runner.password(),
        runner.virtualAddresses(),
        instances,
        runner.syncGroups());
  }
}
