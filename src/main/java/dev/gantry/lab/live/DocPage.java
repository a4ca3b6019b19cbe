package dev.gantry.lab.live;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown page of {@code docs/} as HTML, for the lab's alarm links: headings (with the anchors
 * GitHub gives them, so {@code #vanishing-gradient} finds its section), paragraphs, lists, inline
 * code, bold and links (their text; a link's target is shown only for web addresses). Everything is
 * escaped first, so the page is text whatever the file holds.
 */
final class DocPage {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\(([^)\\s]+)\\)");

    private DocPage() {}

    static String render(String markdown, String title) {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title><link rel=\"stylesheet\" href=\"/lab.css\"></head><body class=\"doc\"><main>\n")
                .append("<p><a href=\"/\">&larr; back to the lab</a></p>\n");
        StringBuilder paragraph = new StringBuilder();
        boolean inList = false;
        boolean inCode = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                flush(html, paragraph);
                html.append(inCode ? "</pre>\n" : "<pre>");
                inCode = !inCode;
                continue;
            }
            if (inCode) {
                html.append(escape(line)).append('\n');
                continue;
            }
            boolean item = line.startsWith("- ") || line.startsWith("* ");
            if (line.isBlank() || line.startsWith("#") || item) {
                flush(html, paragraph);
            }
            if (inList && !item && !line.startsWith("  ")) {
                html.append("</ul>\n");
                inList = false;
            }
            if (line.startsWith("#")) {
                int level = 0;
                while (level < line.length() && line.charAt(level) == '#') {
                    level++;
                }
                level = Math.min(level, 6);
                String text = line.substring(level).trim();
                html.append("<h").append(level).append(" id=\"").append(anchor(text)).append("\">")
                        .append(inline(text)).append("</h").append(level).append(">\n");
            } else if (item) {
                if (!inList) {
                    html.append("<ul>\n");
                    inList = true;
                }
                html.append("<li>").append(inline(line.substring(2))).append("</li>\n");
            } else if (inList && !line.isBlank()) {
                html.append("<li class=\"cont\">").append(inline(line.trim())).append("</li>\n");
            } else if (!line.isBlank()) {
                paragraph.append(paragraph.length() == 0 ? "" : " ").append(line.trim());
            }
        }
        flush(html, paragraph);
        if (inList) {
            html.append("</ul>\n");
        }
        if (inCode) {
            html.append("</pre>\n");
        }
        return html.append("</main></body></html>\n").toString();
    }

    private static void flush(StringBuilder html, StringBuilder paragraph) {
        if (paragraph.length() > 0) {
            html.append("<p>").append(inline(paragraph.toString())).append("</p>\n");
            paragraph.setLength(0);
        }
    }

    /** GitHub's heading anchor: lower case, spaces to hyphens, other punctuation dropped. */
    static String anchor(String heading) {
        String plain = heading.replaceAll("[`*]", "").toLowerCase(Locale.ROOT);
        StringBuilder s = new StringBuilder();
        for (char c : plain.toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                s.append(c);
            } else if (c == ' ') {
                s.append('-');
            }
        }
        return s.toString();
    }

    private static String inline(String text) {
        String s = escape(text);
        s = CODE.matcher(s).replaceAll(m -> Matcher.quoteReplacement("<code>" + m.group(1) + "</code>"));
        s = BOLD.matcher(s).replaceAll(m -> Matcher.quoteReplacement("<strong>" + m.group(1) + "</strong>"));
        s = LINK.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(2).startsWith("https://")
                ? "<a href=\"" + m.group(2) + "\" rel=\"noreferrer\">" + m.group(1) + "</a>" : m.group(1)));
        return s;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
