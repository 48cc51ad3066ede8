package org.est4j.jaxrs.policy;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link LabelPolicy} of each label: labels without their own use the unlabelled path's policy.
 *
 * @param unlabelled the policy of {@code /.well-known/est/<operation>} and the default for labels
 * @param labels     policies of labels configured differently
 */
public record LabelPolicies(LabelPolicy unlabelled, Map<String, LabelPolicy> labels) {

    public static final LabelPolicies DEFAULTS = new LabelPolicies(LabelPolicy.DEFAULTS, Map.of());

    public LabelPolicies {
        Objects.requireNonNull(unlabelled, "unlabelled");
        labels = Map.copyOf(labels);
    }

    public LabelPolicy of(Optional<String> label) {
        return label.map(l -> labels.getOrDefault(l, unlabelled)).orElse(unlabelled);
    }
}
