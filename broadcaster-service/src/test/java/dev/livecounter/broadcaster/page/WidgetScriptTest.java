package dev.livecounter.broadcaster.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /widget.js is built from the real modules: the widget's and the page's it imports, each once, no module syntax left. */
class WidgetScriptTest {

    @Test
    void theWidgetIsItsModuleAndThePagesModulesItImportsInOneClassicScript() {
        String script = WidgetScript.build();

        List<String> parts = Pattern.compile("(?m)^// (\\S+\\.js)$").matcher(script).results()
                .map(match -> match.group(1)).toList();
        assertEquals(List.of("public/assets/subscriptions.js", "public/assets/client.js", "public/assets/visits.js",
                "widget/widget.js"), parts, "every module once, each after the modules it imports");
        assertTrue(script.startsWith("// Live Counter widget: widget/widget.js"), script);
        assertTrue(script.endsWith("})();\n"), "one closure around everything");
        Matcher moduleSyntax = Pattern.compile("(?m)^\\s*(import|export)\\s").matcher(script);
        assertTrue(!moduleSyntax.find(), () -> "a classic script has no module syntax: " + moduleSyntax.group());
    }
}
