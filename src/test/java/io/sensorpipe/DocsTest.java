package io.sensorpipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The README is the front door: short, and every page of {@code docs/} reachable from it; every link of
 * the README and of {@code docs/} leads to a file that exists and, with an anchor, to a heading of that
 * file (anchors as GitHub renders them).
 */
class DocsTest {

    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final int MAX_README_LINES = 400;

    @Test
    void theReadmeIsAFrontDoorThatLeadsToEveryPage() throws IOException {
        List<String> lines = Files.readAllLines(README);
        assertTrue(lines.size() <= MAX_README_LINES, "README.md has " + lines.size() + " lines");
        Set<Path> linked = new HashSet<>();
        for (String target : links(README)) {
            linked.add(README.resolveSibling(target.replaceFirst("#.*", "")).normalize());
        }
        Set<String> unlinked = new TreeSet<>();
        for (Path page : pages()) {
            if (!linked.contains(page.normalize())) {
                unlinked.add(page.toString());
            }
        }
        assertEquals(Set.of(), unlinked, "pages of docs/ the README does not link to");
    }

    @Test
    void everyLinkResolves() throws IOException {
        List<Path> files = new ArrayList<>(pages());
        files.add(README);
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : files) {
            for (String target : links(file)) {
                if (target.matches("(?i)(https?|mailto):.*")) {
                    continue;
                }
                checked++;
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                Path to = path.isEmpty() ? file : file.resolveSibling(path).normalize();
                if (!Files.exists(to)) {
                    broken.add(file + " -> " + target + ": no such file");
                } else if (hash >= 0 && !anchors(to).contains(target.substring(hash + 1))) {
                    broken.add(file + " -> " + target + ": no such heading in " + to);
                }
            }
        }
        assertEquals(List.of(), broken);
        assertTrue(checked > 20, "only " + checked + " links checked");
    }

    @Test
    void anchorsAreTheOnesGitHubMakes() {
        assertEquals("what-each-index-on-reading-costs-the-load",
                slug("What each index on `reading` costs the load"));
        assertEquals("nothing-lost-nothing-twice", slug("Nothing lost, nothing twice"));
        assertEquals("csv-intake", slug("`csv-intake`"));
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> files = Files.list(DOCS)) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    /** Link targets outside code blocks and code spans. */
    private static List<String> links(Path file) throws IOException {
        List<String> targets = new ArrayList<>();
        boolean code = false;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("```")) {
                code = !code;
                continue;
            }
            if (code) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    private static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        if (!file.toString().endsWith(".md")) {
            return anchors;
        }
        boolean code = false;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code && line.matches("#{1,6} .*")) {
                String slug = slug(line.replaceFirst("#{1,6} ", ""));
                String unique = slug;
                for (int n = 1; !anchors.add(unique); n++) {
                    unique = slug + "-" + n;
                }
            }
        }
        return anchors;
    }

    private static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }
}
