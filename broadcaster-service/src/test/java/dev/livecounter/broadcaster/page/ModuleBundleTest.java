package dev.livecounter.broadcaster.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleBundleTest {

    private static String bundle(Map<String, String> files) {
        return ModuleBundle.bundle("/app/main.js", files::get);
    }

    private static String failure(Map<String, String> files) {
        return assertThrows(IllegalStateException.class, () -> bundle(files)).getMessage();
    }

    @Test
    void modulesComeOnceEachInDependencyOrderInsideOneClosure() {
        String script = bundle(Map.of(
                "/app/main.js", "import { twice } from './lib/math.js';\nimport { LABEL } from '../shared/label.js';\n"
                        + "console.log(LABEL, twice(2));\n",
                "/app/lib/math.js", "import { LABEL } from '../../shared/label.js';\n"
                        + "export function twice(n) { return n * 2; }\n",
                "/shared/label.js", "export const LABEL = 'x';\n"));

        assertEquals("""
                (() => {
                'use strict';

                // shared/label.js
                const __module0 = (() => {
                const LABEL = 'x';
                return { LABEL };
                })();

                // app/lib/math.js
                const __module1 = (() => {
                const { LABEL } = __module0;
                function twice(n) { return n * 2; }
                return { twice };
                })();

                // app/main.js
                (() => {
                const { twice } = __module1;
                const { LABEL } = __module0;
                console.log(LABEL, twice(2));
                })();
                })();
                """, script);
    }

    @Test
    void eachModuleKeepsItsTopLevelNamesToItself() {
        String script = bundle(Map.of(
                "/app/main.js", "import { a } from './a.js';\nconst SIZE = 2;\nconsole.log(a(), SIZE);\n",
                "/app/a.js", "const SIZE = 1;\nexport function a() { return SIZE; }\n"));

        assertTrue(script.contains("const __module0 = (() => {\nconst SIZE = 1;"), script);
        assertTrue(script.contains("(() => {\nconst { a } = __module0;\nconst SIZE = 2;"), script);
    }

    @Test
    void renamedAndMultiLineImportsAndExportListsAreKept() {
        String script = bundle(Map.of(
                "/app/main.js", "import {\n  open as connect,\n  VALID,\n} from './client.js';\n"
                        + "import * as visits from './visits.js';\nconnect(VALID, visits.total);\n",
                "/app/client.js", "export async function open() {}\nconst rule = /x/;\nexport { rule as VALID };\n",
                "/app/visits.js", "export let total = 0;\nexport class Series {}\n"));

        assertTrue(script.contains("const { open: connect, VALID } = __module0;"), script);
        assertTrue(script.contains("async function open() {}"), script);
        assertTrue(script.contains("return { open, VALID: rule };"), script);
        assertTrue(script.contains("const visits = __module1;"), script);
        assertTrue(script.contains("return { total, Series };"), script);
        assertFalse(script.contains("export"), script);
        assertFalse(script.contains("import"), script);
    }

    @Test
    void aCycleIsRefusedWithItsPath() {
        String message = failure(Map.of(
                "/app/main.js", "import { a } from './a.js';\n",
                "/app/a.js", "import { b } from './b.js';\nexport const a = 1;\n",
                "/app/b.js", "import { a } from './a.js';\nexport const b = 1;\n"));
        assertEquals("import cycle: /app/main.js -> /app/a.js -> /app/b.js -> /app/a.js", message);
    }

    @Test
    void aMissingModuleOrNameIsRefused() {
        assertEquals("module /app/gone.js is missing", failure(Map.of("/app/main.js", "import { a } from './gone.js';\n")));
        assertEquals("/app/main.js imports b, which /app/a.js does not export", failure(Map.of(
                "/app/main.js", "import { b } from './a.js';\n",
                "/app/a.js", "export const a = 1;\n")));
    }

    @Test
    void syntaxOutsideTheSubsetIsRefusedWithTheLine() {
        assertEquals("/app/main.js: unsupported module syntax at \"export default function () {}\""
                        + " (named imports and exports of declarations only)",
                failure(Map.of("/app/main.js", "const x = 1;\nexport default function () {}\n")));
        assertTrue(failure(Map.of("/app/main.js", "import './side-effect.js';\n"))
                .contains("unsupported module syntax at \"import './side-effect.js';\""));
        assertTrue(failure(Map.of("/app/main.js", "export const { a, b } = c;\n"))
                .contains("unsupported module syntax"));
        assertEquals("/app/main.js imports 'lib': only relative paths are bundled",
                failure(Map.of("/app/main.js", "import { a } from 'lib';\n")));
        assertEquals("/app/a.js exports a twice", failure(Map.of(
                "/app/main.js", "import { a } from './a.js';\n",
                "/app/a.js", "export const a = 1;\nexport { a };\n")));
    }

    @Test
    void wordsImportAndExportInsideLinesAreLeftAlone() {
        String script = bundle(Map.of("/app/main.js", "// import this\nconst exported = 'export';\n  doImport();\n"));
        assertTrue(script.contains("// import this\nconst exported = 'export';\n  doImport();\n"), script);
    }
}
