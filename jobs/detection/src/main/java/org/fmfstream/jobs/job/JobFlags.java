package org.fmfstream.jobs.job;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Command-line flags of the streaming job, a picocli mixin: {@code --config FILE} (a properties file,
 * see {@code fmf/job.properties}), {@code --set key=value} for any key (including {@code kafka.*}
 * client properties) and one flag per key that {@link JobOptions} gives a flag, added from those
 * definitions when the command is built. Flags override the file, which overrides the defaults.
 */
@Command(modelTransformer = JobFlags.FromJobOptions.class)
public final class JobFlags {
    @Option(names = "--config", paramLabel = "FILE", description = "Job configuration (.properties).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any configuration key, e.g. --set window.hop=2s.")
    Map<String, String> set = new LinkedHashMap<>();

    /** Values of the per-key flags, by key. */
    private final Map<String, String> flags = new LinkedHashMap<>();

    /** The flags given, as configuration keys (named flags win over --set). */
    public Map<String, String> overrides() {
        Map<String, String> m = new LinkedHashMap<>(set);
        m.putAll(flags);
        return m;
    }

    /** The {@code --config} file, or null. */
    public Path configFile() {
        return config;
    }

    /** Defaults, then {@code --config}, then the flags; throws IllegalArgumentException naming the bad key. */
    public JobConfig config() {
        return JobConfig.load(config, overrides());
    }

    /**
     * Defaults of another command's flags that share a job flag's name and declare no default of
     * their own (bench pipeline's {@code --batch-size}, {@code --device}): the job's own defaults,
     * from {@link JobOptions}, so they are not restated. Use as {@code @Command(defaultValueProvider = JobFlags.JobDefaults.class)}.
     */
    public static final class JobDefaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            // A flag with a default of its own keeps it (bench pipeline's --out-of-orderness is 0s,
            // not the job's 2s): picocli would otherwise take the provider's value first.
            if (arg instanceof OptionSpec option && option.defaultValue() == null) {
                for (ConfigOption<?> o : JobOptions.all()) {
                    if (JobOptions.flag(o).filter(f -> f.name().equals(option.longestName())).isPresent()) {
                        String d = JobOptions.defaultText(o);
                        return d.isEmpty() ? null : d;
                    }
                }
            }
            return null;
        }
    }

    /** Adds one option per flagged {@link JobOptions} key to the mixin, writing into its instance. */
    public static final class FromJobOptions implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            JobFlags target = flagsOf(spec);
            for (ConfigOption<?> option : JobOptions.all()) {
                JobOptions.flag(option).filter(flag -> spec.findOption(flag.name()) == null)
                        .ifPresent(flag -> spec.addOption(OptionSpec.builder(flag.name())
                        .paramLabel(flag.paramLabel())
                        .type(String.class)
                        .description(option.key() + ": " + JobOptions.description(option).replace("`", "")
                                + defaultNote(option))
                        .setter(new ISetter() {
                            @Override
                            public <T> T set(T value) {
                                // picocli also calls this with null to reset the option before parsing
                                if (value == null) {
                                    target.flags.remove(option.key());
                                } else {
                                    target.flags.put(option.key(), (String) value);
                                }
                                return null;
                            }
                        })
                        .build()));
            }
            return spec;
        }

        /**
         * The instance the flags write into: picocli runs this transformer for the mixin on its own and
         * again for every command that mixes it in (the command takes the mixin's transformer).
         */
        private static JobFlags flagsOf(CommandSpec spec) {
            if (spec.userObject() instanceof JobFlags flags) {
                return flags;
            }
            return spec.mixins().values().stream().map(CommandSpec::userObject)
                    .filter(JobFlags.class::isInstance).map(JobFlags.class::cast).findFirst()
                    .orElseThrow(() -> new IllegalStateException(spec.name() + " does not mix in JobFlags"));
        }

        private static String defaultNote(ConfigOption<?> option) {
            String d = JobOptions.defaultText(option);
            return d.isEmpty() ? "" : " (default: " + d + ")";
        }
    }
}
