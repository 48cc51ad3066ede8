package org.est4j.jaxrs.packages;

import org.est4j.jaxrs.JsonStrings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A package availability list written as RFC 8295 section 2.1.1 defines it: XML in the namespace IANA registered
 * for its schema, or the JSON that mirrors it element for element.
 */
final class PalDocument {

    /** {@code urn:ietf:params:xml:ns:pal} (RFC 8295 section 8). */
    static final String NAMESPACE = "urn:ietf:params:xml:ns:pal";

    /** The schema's GeneralizedTime: seconds, UTC, {@code Z}. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private PalDocument() {
    }

    /** {@code <pal xmlns="urn:ietf:params:xml:ns:pal"><message>...</message>...</pal>}, UTF-8. */
    static byte[] xml(List<PalEntry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.setDefaultNamespace(NAMESPACE);
            w.writeStartElement(NAMESPACE, "pal");
            w.writeDefaultNamespace(NAMESPACE);
            for (PalEntry e : entries) {
                w.writeStartElement(NAMESPACE, "message");
                element(w, "type", e.type());
                if (e.date().isPresent()) {
                    element(w, "date", DATE.format(e.date().get().truncatedTo(ChronoUnit.SECONDS)));
                }
                element(w, "size", Long.toString(e.size()));
                w.writeStartElement(NAMESPACE, "info");
                if (e.info() instanceof PalEntry.Dn dn) {
                    element(w, "dn", dn.dn());
                } else if (e.info() instanceof PalEntry.Ski ski) {
                    element(w, "ski", ski.hex());
                } else if (e.info() instanceof PalEntry.Iasn iasn) {
                    w.writeStartElement(NAMESPACE, "iasn");
                    element(w, "issuer", iasn.issuer());
                    element(w, "serial", iasn.serial().toString());
                    w.writeEndElement();
                } else {
                    element(w, "uri", ((PalEntry.Uri) e.info()).uri());
                }
                w.writeEndElement();
                element(w, "uri", e.uri());
                w.writeEndElement();
            }
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the package availability list: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** {@code {"pal":{"message":[{"type":..,"date":..,"size":n,"info":{..},"uri":..}]}}}, UTF-8. */
    static byte[] json(List<PalEntry> entries) {
        StringBuilder out = new StringBuilder("{\"pal\":{\"message\":[");
        for (int i = 0; i < entries.size(); i++) {
            PalEntry e = entries.get(i);
            out.append(i == 0 ? "" : ",").append("{\"type\":").append(JsonStrings.quote(e.type()));
            e.date().ifPresent(d -> out.append(",\"date\":").append(JsonStrings.quote(DATE.format(d.truncatedTo(ChronoUnit.SECONDS)))));
            out.append(",\"size\":").append(e.size()).append(",\"info\":{");
            if (e.info() instanceof PalEntry.Dn dn) {
                out.append("\"dn\":").append(JsonStrings.quote(dn.dn()));
            } else if (e.info() instanceof PalEntry.Ski ski) {
                out.append("\"ski\":").append(JsonStrings.quote(ski.hex()));
            } else if (e.info() instanceof PalEntry.Iasn iasn) {
                out.append("\"iasn\":{\"issuer\":").append(JsonStrings.quote(iasn.issuer()))
                        .append(",\"serial\":").append(JsonStrings.quote(iasn.serial().toString())).append('}');
            } else {
                out.append("\"uri\":").append(JsonStrings.quote(((PalEntry.Uri) e.info()).uri()));
            }
            out.append("},\"uri\":").append(JsonStrings.quote(e.uri())).append('}');
        }
        return out.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(NAMESPACE, name);
        w.writeCharacters(xmlText(text));
        w.writeEndElement();
    }

    /**
     * The text with what XML 1.0 cannot carry at all (control characters other than tab and line breaks, unpaired
     * surrogates, U+FFFE/U+FFFF) replaced by U+FFFD: the writer escapes markup, but such a character would make
     * the whole document unparseable. Certificate names are the only text here that could hold one.
     */
    static String xmlText(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == '\uFFFE' || c == '\uFFFF'
                    || Character.isSurrogate(c) && !pair;
            if (bad && out == null) {
                out = new StringBuilder(text.substring(0, i));
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
                if (pair) {
                    out.append(text.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }
}
