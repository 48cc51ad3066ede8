/**
 * The service provider interface between est4j's EST protocol layer and a certification authority.
 *
 * <p>est4j speaks RFC 7030 to EST clients: it authenticates them, decodes and checks their PKCS#10
 * requests (signature, re-enrollment identity rules) and encodes the answers. Every certificate
 * decision is delegated to one {@link org.est4j.spi.CaService} bean, which you implement for your
 * CA. The types in this package use the JDK only, so an implementation needs no Jakarta, servlet or
 * BouncyCastle dependency.
 *
 * <p>Shape of the contract:
 * <ul>
 *   <li>one method per EST operation, each taking one immutable request value, so that future
 *       request fields never change a method signature;</li>
 *   <li>results are values ({@link org.est4j.spi.Issued}, {@link org.est4j.spi.Pending}); failures are
 *       the small {@link org.est4j.spi.CaException} hierarchy, which est4j turns into HTTP status
 *       codes in one place;</li>
 *   <li>optional operations are {@code default} methods that answer "not supported".</li>
 * </ul>
 */
package org.est4j.spi;
