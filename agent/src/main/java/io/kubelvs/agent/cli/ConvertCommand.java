package io.kubelvs.agent.cli;

import io.kubelvs.agent.config.ConfProblem;
import io.kubelvs.agent.config.KeepalivedConf;
import io.kubelvs.agent.config.KeepalivedConfException;
import io.kubelvs.agent.convert.Conversion;
import io.kubelvs.agent.convert.ConversionNote;
import io.kubelvs.agent.convert.KeepalivedToKubernetes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code kubelvs-agent convert [--namespace NS] [--pool NAME] [--config-id ID] FILE}: the resources
 * for a keepalived.conf as YAML on stdout, what they cannot say as {@code #} comments in it and as
 * notes on stderr. A file the agent would refuse is refused the same way, with {@link Main}'s exit
 * codes.
 */
final class ConvertCommand {
  static final String USAGE =
      "kubelvs-agent convert [--namespace NS] [--pool NAME] [--config-id ID] FILE";

  private static final String DEFAULT_NAMESPACE = "default";

  private ConvertCommand() {}

  /**
   * @param args the arguments after {@code convert}
   * @param hostName keepalived's router_id when the file has none
   */
  static int run(String[] args, String hostName, PrintStream out, PrintStream err) {
    String namespace = DEFAULT_NAMESPACE;
    Optional<String> pool = Optional.empty();
    String configId = null;
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        if (file != null) {
          return usage(err, "convert takes one FILE, got " + file + " and " + arg);
        }
        file = Path.of(arg);
        continue;
      }
      if (i + 1 >= args.length) {
        return usage(err, arg + " needs a value");
      }
      String value = args[++i];
      switch (arg) {
        case "--namespace" -> namespace = value;
        case "--pool" -> pool = Optional.of(value);
        case "--config-id" -> configId = value;
        default -> {
          return usage(err, "unknown option '" + arg + "'");
        }
      }
    }
    if (file == null) {
      return usage(err, "convert needs a FILE");
    }
    if (pool.isPresent() && !KeepalivedToKubernetes.dnsLabel(pool.get()).equals(pool.get())) {
      return usage(err, "--pool " + pool.get() + " is not a DNS label (lower case, digits, -)");
    }
    if (!KeepalivedToKubernetes.dnsLabel(namespace).equals(namespace)) {
      return usage(err, "--namespace " + namespace + " is not a DNS label (lower case, digits, -)");
    }
    try {
      KeepalivedConf conf =
          configId == null ? KeepalivedConf.parse(file) : KeepalivedConf.parse(file, configId);
      conf.warnings().forEach(w -> err.println("warning: " + w));
      Conversion conversion =
          KeepalivedToKubernetes.convert(
              conf, new KeepalivedToKubernetes.Options(namespace, pool, hostName));
      out.print(conversion.toYaml());
      for (ConversionNote note : conversion.notes()) {
        err.println("note: " + note);
      }
      return Main.OK;
    } catch (KeepalivedConfException e) {
      for (ConfProblem problem : e.problems()) {
        err.println(problem);
      }
      err.println(file + ": refused, " + e.problems().size() + " problem(s)");
      return Main.REFUSED;
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println(problem + "\nusage: " + USAGE);
    return Main.USAGE;
  }
}
