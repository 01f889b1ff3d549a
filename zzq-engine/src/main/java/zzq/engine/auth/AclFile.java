package zzq.engine.auth;

import zzq.api.spi.Authorizer;
import zzq.api.spi.ClientIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import zzq.codec.Topics;

/**
 * A Mosquitto-compatible ACL file ({@code acl_file} in mosquitto.conf(5)), immutable and safe to share between
 * threads.
 *
 * <p>Format, one statement a line ('#' comments and blank lines ignored):
 * <ul>
 * <li>{@code user <username>} starts the block of rules for that user (the rest of the line, trimmed);</li>
 * <li>{@code topic [read|write|readwrite|deny] <filter>} grants (default {@code readwrite}) or denies access to a
 * topic filter for the current user; {@code topic} lines before any {@code user} line apply to anonymous clients.
 * As in Mosquitto, when more than one word follows {@code topic} the first must be an access word and the filter is
 * the rest of the line, so filters may contain spaces;</li>
 * <li>{@code pattern [read|write|readwrite|deny] <filter>} applies to every client, with each level that is exactly
 * {@code %c} replaced by the client id and each level that is exactly {@code %u} by the username. A pattern that
 * needs a value the client does not have (no username), or whose value contains '/', '+' or '#', does not match.
 * As in Mosquitto, a client whose id or username contains '+' or '#' is granted nothing by patterns at all.</li>
 * </ul>
 *
 * <p>Decision order for one check: any matching {@code deny} (from the client's own block or from a pattern) refuses;
 * otherwise a matching grant from the client's block with the needed access allows; otherwise a matching pattern grant
 * allows; otherwise access is refused. (Mosquitto checks the user's grants before pattern denies; here a deny always
 * wins.)
 */
public final class AclFile implements Authorizer {

    private static final int READ = 1;
    private static final int WRITE = 2;
    private static final int DENY = 0;

    private record Rule(int access, String filter) {
    }

    /** Rules of one scope, denies kept apart from grants. */
    private record Rules(List<Rule> denies, List<Rule> grants) {
        static Rules of(List<Rule> all) {
            List<Rule> d = new ArrayList<>();
            List<Rule> g = new ArrayList<>();
            for (Rule r : all) {
                (r.access == DENY ? d : g).add(r);
            }
            return new Rules(List.copyOf(d), List.copyOf(g));
        }
    }

    private static final Rules NONE = new Rules(List.of(), List.of());

    private final Rules anonymous;
    private final Map<String, Rules> users;
    private final Rules patterns;

    private AclFile(Rules anonymous, Map<String, Rules> users, Rules patterns) {
        this.anonymous = anonymous;
        this.users = users;
        this.patterns = patterns;
    }

    /**
     * Reads and parses an ACL file (UTF-8).
     *
     * @param file the file
     * @return the parsed rules
     * @throws AuthFileException if a line is malformed; names the file and line
     * @throws IOException if the file cannot be read
     */
    public static AclFile load(Path file) throws IOException {
        return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses the lines of an ACL file.
     *
     * @param file the file name used in error messages
     * @param lines the lines of the file
     * @return the parsed rules
     * @throws AuthFileException if a line is malformed; names the file and line
     */
    public static AclFile parse(Path file, List<String> lines) throws AuthFileException {
        List<Rule> anonymous = new ArrayList<>();
        Map<String, List<Rule>> users = new HashMap<>();
        List<Rule> patterns = new ArrayList<>();
        List<Rule> current = anonymous;
        for (FileLine significant : FileLine.significant(lines)) {
            int lineNo = significant.number();
            String line = significant.text();
            int sp = firstBlank(line);
            String keyword = sp < 0 ? line : line.substring(0, sp);
            String rest = sp < 0 ? "" : line.substring(sp).strip();
            switch (keyword) {
                case "user" -> {
                    if (rest.isEmpty()) {
                        throw new AuthFileException(file, lineNo, "missing username after 'user'");
                    }
                    current = users.computeIfAbsent(rest, u -> new ArrayList<>());
                }
                case "topic", "pattern" -> {
                    Rule rule = parseRule(file, lineNo, keyword, rest);
                    (keyword.equals("topic") ? current : patterns).add(rule);
                }
                default -> throw new AuthFileException(file, lineNo,
                        "unknown statement '" + keyword + "' (expected user, topic or pattern)");
            }
        }
        Map<String, Rules> byUser = new HashMap<>();
        users.forEach((u, rules) -> byUser.put(u, Rules.of(rules)));
        return new AclFile(Rules.of(anonymous), Map.copyOf(byUser), Rules.of(patterns));
    }

    private static Rule parseRule(Path file, int lineNo, String keyword, String rest) throws AuthFileException {
        if (rest.isEmpty()) {
            throw new AuthFileException(file, lineNo, "missing topic after '" + keyword + "'");
        }
        int sp = firstBlank(rest);
        int access = READ | WRITE;
        String filter = rest;
        if (sp >= 0) {
            String word = rest.substring(0, sp);
            filter = rest.substring(sp).strip();
            access = switch (word) {
                case "read" -> READ;
                case "write" -> WRITE;
                case "readwrite" -> READ | WRITE;
                case "deny" -> DENY;
                default -> throw new AuthFileException(file, lineNo, "invalid access type '" + word
                        + "' (expected read, write, readwrite or deny)");
            };
        }
        if (!Topics.isValidFilter(filter)) {
            throw new AuthFileException(file, lineNo, "invalid topic filter '" + filter + "'");
        }
        return new Rule(access, filter);
    }

    private static int firstBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether a client may publish to a topic.
     *
     * @param clientId the client identifier (null: patterns do not apply)
     * @param username the username, or null for an anonymous client
     * @param topic the topic name; a name with wildcards or an empty name is refused
     * @return whether write access is granted
     */
    public boolean canPublish(String clientId, String username, String topic) {
        return Topics.isValidName(topic) && check(clientId, username, topic, WRITE, false);
    }

    /**
     * Whether a message on a topic may be delivered to a client (read access). The broker must check this for each
     * message even when the subscription was allowed, because a deny can cover part of an allowed subscription.
     *
     * @param clientId the client identifier (null: patterns do not apply)
     * @param username the username, or null for an anonymous client
     * @param topic the topic name of the message
     * @return whether read access is granted
     */
    public boolean canReceive(String clientId, String username, String topic) {
        return Topics.isValidName(topic) && check(clientId, username, topic, READ, false);
    }

    /**
     * Whether a client may subscribe to a topic filter: a read grant must cover every topic the filter can match
     * ({@code a/#} allows subscribing to {@code a/b/+}; {@code a/+} does not allow {@code a/#}), and no deny may
     * cover the whole filter. Denies that cover only part of the filter are enforced by {@link #canReceive}.
     *
     * @param clientId the client identifier (null: patterns do not apply)
     * @param username the username, or null for an anonymous client
     * @param filter the subscription's topic filter (without any {@code $share/<group>/} prefix)
     * @return whether the subscription is allowed
     */
    public boolean canSubscribe(String clientId, String username, String filter) {
        return Topics.isValidFilter(filter) && check(clientId, username, filter, READ, true);
    }

    private boolean check(String clientId, String username, String topic, int access, boolean subscription) {
        Rules own = username == null ? anonymous : users.getOrDefault(username, NONE);
        for (Rule r : own.denies) {
            if (matches(r.filter, topic, subscription)) {
                return false;
            }
        }
        for (Rule r : patterns.denies) {
            String f = expand(r.filter, clientId, username, true);
            if (f != null && matches(f, topic, subscription)) {
                return false;
            }
        }
        for (Rule r : own.grants) {
            if ((r.access & access) != 0 && matches(r.filter, topic, subscription)) {
                return true;
            }
        }
        if (clientId == null || dangerous(clientId) || (username != null && dangerous(username))) {
            return false;
        }
        for (Rule r : patterns.grants) {
            if ((r.access & access) != 0) {
                String f = expand(r.filter, clientId, username, false);
                if (f != null && matches(f, topic, subscription)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matches(String filter, String topicOrFilter, boolean subscription) {
        return subscription ? Topics.covers(filter, topicOrFilter) : Topics.matches(filter, topicOrFilter);
    }

    private static boolean dangerous(String value) {
        return value.indexOf('+') >= 0 || value.indexOf('#') >= 0;
    }

    /**
     * Substitutes whole {@code %c} / {@code %u} levels. Null when a needed value is missing (the pattern does not
     * apply). A value that is present but cannot stand as one level ('/', '+', '#') voids a grant (null), but must
     * not void a deny: a deny instead becomes '#' from that level on, covering everything the value could mean.
     */
    private static String expand(String filter, String clientId, String username, boolean deny) {
        if (!filter.contains("%")) {
            return filter;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String value;
            if (levels[i].equals("%c")) {
                value = clientId;
            } else if (levels[i].equals("%u")) {
                value = username;
            } else {
                continue;
            }
            if (value == null || value.isEmpty()) {
                return null;
            }
            if (value.indexOf('/') >= 0 || dangerous(value)) {
                if (!deny) {
                    return null;
                }
                levels[i] = "#";
                return String.join("/", Arrays.copyOf(levels, i + 1));
            }
            levels[i] = value;
        }
        return String.join("/", levels);
    }

    @Override
    public String toString() {
        return "AclFile[users=" + users.size() + ", anonymousRules="
                + (anonymous.denies.size() + anonymous.grants.size()) + ", patterns="
                + (patterns.denies.size() + patterns.grants.size()) + "]";
    }

    /**
     * @param username a username
     * @return whether the file has a {@code user} block for it
     */
    public boolean hasUser(String username) {
        return users.containsKey(Objects.requireNonNull(username, "username"));
    }

    @Override
    public boolean canPublish(ClientIdentity client, String topic) {
        return canPublish(client.clientId(), client.username(), topic);
    }

    @Override
    public boolean canSubscribe(ClientIdentity client, String filter) {
        return canSubscribe(client.clientId(), client.username(), filter);
    }

    @Override
    public boolean canReceive(ClientIdentity client, String topic) {
        return canReceive(client.clientId(), client.username(), topic);
    }
}
