package dev.yawlmetrics.agent.endpoint.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subset of YAML that web config files use: nested block mappings, block and flow sequences
 * of scalars, plain and quoted scalars, comments. Anything else (anchors, aliases, tags, block
 * scalars, flow mappings with content, tabs for indentation, duplicate keys) is an error naming
 * the line, so a file is never half-understood. A full YAML library would add ~300 KB to an
 * agent jar whose only YAML is this one small file.
 */
final class MiniYaml {
    private final List<int[]> meta = new ArrayList<>(); // {indent, line number}
    private final List<String> content = new ArrayList<>();
    private int pos;

    private MiniYaml(String text) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i], i + 1);
            if (line.trim().isEmpty() || (meta.isEmpty() && line.trim().equals("---"))) {
                continue;
            }
            if (line.trim().equals("...") || line.trim().equals("---")) {
                break;
            }
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            if (line.charAt(indent) == '\t') {
                throw error(i + 1, "tab used for indentation");
            }
            meta.add(new int[] {indent, i + 1});
            content.add(line.substring(indent).trim());
        }
    }

    /** @return the top-level mapping (empty for an empty file) */
    static Map<String, Object> parse(String text) {
        MiniYaml y = new MiniYaml(text);
        if (y.content.isEmpty()) {
            return new LinkedHashMap<>();
        }
        if (y.meta.get(0)[0] != 0) {
            throw error(y.meta.get(0)[1], "the first key must not be indented");
        }
        Object top = y.block(0);
        if (y.pos < y.content.size()) {
            throw error(y.meta.get(y.pos)[1], "unexpected indentation");
        }
        if (!(top instanceof Map)) {
            throw error(1, "the file must be a mapping of keys");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) top;
        return map;
    }

    private Object block(int indent) {
        String first = content.get(pos);
        if (first.equals("-") || first.startsWith("- ")) {
            return sequence(indent);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        while (pos < content.size() && meta.get(pos)[0] == indent) {
            int line = meta.get(pos)[1];
            String c = content.get(pos);
            if (c.equals("-") || c.startsWith("- ")) {
                throw error(line, "list item where a key was expected");
            }
            int colon = keyEnd(c, line);
            String key = scalar(c.substring(0, colon).trim(), line);
            if (key == null || key.isEmpty()) {
                throw error(line, "empty key");
            }
            String rest = c.substring(colon + 1).trim();
            pos++;
            Object value;
            if (!rest.isEmpty()) {
                value = value(rest, line);
            } else if (pos < content.size() && meta.get(pos)[0] > indent) {
                value = block(meta.get(pos)[0]);
            } else if (pos < content.size() && meta.get(pos)[0] == indent
                    && (content.get(pos).equals("-") || content.get(pos).startsWith("- "))) {
                value = sequence(indent);
            } else {
                value = null;
            }
            if (map.containsKey(key)) {
                throw error(line, "key '" + key + "' appears twice");
            }
            map.put(key, value);
        }
        return map;
    }

    private List<Object> sequence(int indent) {
        List<Object> list = new ArrayList<>();
        while (pos < content.size() && meta.get(pos)[0] == indent
                && (content.get(pos).equals("-") || content.get(pos).startsWith("- "))) {
            int line = meta.get(pos)[1];
            String item = content.get(pos).substring(1).trim();
            if (item.isEmpty() || (keyEndOrMinus(item) >= 0)) {
                throw error(line, "only plain values are supported in lists");
            }
            list.add(value(item, line));
            pos++;
        }
        if (pos < content.size() && meta.get(pos)[0] > indent) {
            throw error(meta.get(pos)[1], "unexpected indentation");
        }
        return list;
    }

    private static int keyEndOrMinus(String item) {
        try {
            return keyEnd(item, 0);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static Object value(String v, int line) {
        if (v.startsWith("[")) {
            if (!v.endsWith("]")) {
                throw error(line, "flow list must end on the same line");
            }
            List<Object> list = new ArrayList<>();
            String inner = v.substring(1, v.length() - 1).trim();
            if (!inner.isEmpty()) {
                for (String part : splitFlow(inner, line)) {
                    list.add(scalar(part.trim(), line));
                }
            }
            return list;
        }
        if (v.equals("{}")) {
            return new LinkedHashMap<String, Object>();
        }
        return scalar(v, line);
    }

    private static List<String> splitFlow(String inner, int line) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == ',') {
                parts.add(cur.toString());
                cur.setLength(0);
                continue;
            } else if (c == '[' || c == ']' || c == '{' || c == '}') {
                throw error(line, "nested flow collections are not supported");
            }
            cur.append(c);
        }
        parts.add(cur.toString());
        return parts;
    }

    private static String scalar(String v, int line) {
        if (v.isEmpty() || v.equals("~") || v.equals("null")) {
            return null;
        }
        char c = v.charAt(0);
        if (c == '\'') {
            if (v.length() < 2 || !v.endsWith("'")) {
                throw error(line, "unterminated quoted value");
            }
            return v.substring(1, v.length() - 1).replace("''", "'");
        }
        if (c == '"') {
            if (v.length() < 2 || !v.endsWith("\"")) {
                throw error(line, "unterminated quoted value");
            }
            return unescapeDouble(v.substring(1, v.length() - 1), line);
        }
        if ("&*!|>{%@`".indexOf(c) >= 0) {
            throw error(line, "YAML feature '" + c + "' is not supported in a web config file");
        }
        return v;
    }

    private static String unescapeDouble(String s, int line) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i == s.length()) {
                throw error(line, "dangling backslash");
            }
            char e = s.charAt(i);
            switch (e) {
                case '\\': sb.append('\\'); break;
                case '"': sb.append('"'); break;
                case '/': sb.append('/'); break;
                case 'n': sb.append('\n'); break;
                case 't': sb.append('\t'); break;
                default: throw error(line, "unsupported escape \\" + e);
            }
        }
        return sb.toString();
    }

    /** Index of the ':' that ends the key (followed by space or end of line), outside quotes. */
    private static int keyEnd(String c, int line) {
        char quote = 0;
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
            } else if (ch == ':' && (i + 1 == c.length() || c.charAt(i + 1) == ' ')) {
                return i;
            }
        }
        throw error(line, "expected 'key: value'");
    }

    private static String stripComment(String line, int lineNo) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if ((c == '"' || c == '\'') && (i == 0 || " :-[,".indexOf(line.charAt(i - 1)) >= 0)) {
                quote = c;
            } else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ' || line.charAt(i - 1) == '\t')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static IllegalArgumentException error(int line, String why) {
        return new IllegalArgumentException("line " + line + ": " + why);
    }
}
