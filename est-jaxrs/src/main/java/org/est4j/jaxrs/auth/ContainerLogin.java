package org.est4j.jaxrs.auth;

import java.util.Optional;

/**
 * HTTP credentials checked by the servlet container's own realm ({@code HttpServletRequest.login}): Tomcat's
 * realms (JDBC, LDAP/JNDI, UserDatabase) or a WildFly Elytron security domain, configured as the container's
 * administrators already do, instead of est4j's user store.
 */
@FunctionalInterface
public interface ContainerLogin {

    /** No container in reach (unit tests): nobody logs in. */
    ContainerLogin NONE = (user, password, role) -> false;

    /** Whether the container accepts {@code user}/{@code password} and, when {@code role} is given, the user has it. */
    boolean login(String user, char[] password, Optional<String> role);
}
