package org.est4j.war.console;

import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.est4j.jaxrs.auth.BasicCredentials;
import org.est4j.war.access.AdminCertificate;
import org.est4j.war.config.ConsoleSettings;

/**
 * Who may use the operator console: a user the servlet container authenticated who has {@code console.role}, or the
 * holder of the TLS client certificate of {@code console.client-subject} ({@link AdminCertificate}, the check
 * {@code /metrics} uses too). Either way the verdict names the operator and how that was proven, for the audit trail.
 *
 * <p>For the role, a user the container authenticated already (its own login configuration, a single sign-on valve)
 * counts as is; otherwise HTTP Basic credentials go to the container's realm through {@code HttpServletRequest.login},
 * as {@code auth.users = container} does for EST clients, so no {@code login-config} is needed in the WAR.
 */
public final class ConsoleAccess {

    /** What a request to {@code /console} gets. */
    public enum Outcome {
        /** The console. */
        ALLOWED,
        /** 401 with a Basic challenge: no credential yet, or a wrong password (the browser asks again). */
        UNAUTHENTICATED,
        /** 403: a credential that is not an operator's. */
        FORBIDDEN
    }

    /**
     * An operator.
     *
     * @param name  the container's user name, or the certificate's subject
     * @param proof how it was proven: {@code container role <role>} or {@code TLS client certificate}
     */
    public record Operator(String name, String proof) implements java.io.Serializable {

        private static final long serialVersionUID = 1L;

        /** The audit trail's {@code actor}: the console, who, and how it was proven. */
        public String actor() {
            return "console: " + name + " (" + proof + ")";
        }
    }

    /** The verdict, with the operator when allowed. */
    public record Verdict(Outcome outcome, Optional<Operator> operator) {

        static Verdict allowed(Operator operator) {
            return new Verdict(Outcome.ALLOWED, Optional.of(operator));
        }

        static final Verdict UNAUTHENTICATED = new Verdict(Outcome.UNAUTHENTICATED, Optional.empty());
        static final Verdict FORBIDDEN = new Verdict(Outcome.FORBIDDEN, Optional.empty());
    }

    /** The caller as the container sees it; an interface so that the rule is tested without a container. */
    public interface Caller {
        /** The user the container authenticated already, or null. */
        Principal principal();

        /** Whether the user the container authenticated has {@code role}. */
        boolean inRole(String role);

        /** Asks the container's realm; true when it accepted the credentials (the caller is then authenticated). */
        boolean login(String user, String password);

        /** The {@code Authorization} header, or null. */
        String authorization();

        /** The TLS client chain, leaf first, possibly empty. */
        List<X509Certificate> chain();
    }

    private final Optional<String> role;
    private final AdminCertificate certificate;

    public ConsoleAccess(ConsoleSettings settings, AdminCertificate certificate) {
        this.role = settings.role();
        this.certificate = certificate;
    }

    /** Whether a container role is configured (a 401 then carries a Basic challenge). */
    public boolean usesRole() {
        return role.isPresent();
    }

    /** The verdict on {@code caller}. */
    public Verdict check(Caller caller) {
        List<X509Certificate> chain = caller.chain();
        switch (certificate.check(chain)) {
            case ADMIN -> {
                return Verdict.allowed(new Operator(chain.get(0).getSubjectX500Principal().getName(), "TLS client certificate"));
            }
            case NOT_ADMIN, NOT_PRESENTED -> {
                // another certificate is no operator's, but the same browser may still log in with the role
            }
        }
        if (role.isEmpty()) {
            return Verdict.FORBIDDEN;
        }
        Principal user = caller.principal();
        if (user == null) {
            Optional<BasicCredentials> credentials;
            try {
                credentials = BasicCredentials.parse(caller.authorization());
            } catch (BasicCredentials.MalformedException e) {
                return Verdict.UNAUTHENTICATED;
            }
            if (credentials.isEmpty()) {
                return Verdict.UNAUTHENTICATED;
            }
            try {
                if (!caller.login(credentials.get().username(), new String(credentials.get().password()))) {
                    return Verdict.UNAUTHENTICATED;
                }
            } finally {
                credentials.get().wipe();
            }
            user = caller.principal();
            if (user == null) {
                return Verdict.UNAUTHENTICATED;
            }
        }
        return caller.inRole(role.get()) ? Verdict.allowed(new Operator(user.getName(), "container role " + role.get())) : Verdict.FORBIDDEN;
    }
}
