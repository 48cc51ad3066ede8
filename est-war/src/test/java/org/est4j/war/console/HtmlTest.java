package org.est4j.war.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Client text on the console's page. */
class HtmlTest {

    @Test
    void markupAndQuotesBecomeReferences() {
        assertEquals("CN=&lt;script&gt;alert(1)&lt;/script&gt;", Html.text("CN=<script>alert(1)</script>"));
        assertEquals("&quot; onmouseover=&#39;x&#39; &#96; &amp;amp;", Html.text("\" onmouseover='x' ` &amp;"));
        assertEquals("", Html.text(null));
        assertEquals("CN=Zoë Müller,O=Example", Html.text("CN=Zoë Müller,O=Example"), "other characters as they are");
    }

    @Test
    void controlCharactersAreReplaced() {
        assertEquals("a\uFFFDb\uFFFDc", Html.text("a\u0000b\u001bc"));
    }
}
