package zzq.engine.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves AclFile parses Mosquitto's acl_file format and decides publish / receive / subscribe access with anonymous,
 * per-user and %c/%u pattern rules, denies winning, and refuses malformed lines naming file and line.
 */
class AclFileTest {

    private static final Path F = Path.of("acl.txt");

    private static AclFile acl(String... lines) throws AuthFileException {
        return AclFile.parse(F, List.of(lines));
    }

    @Test
    void anonymousRulesComeBeforeFirstUserLine() throws Exception {
        AclFile acl = acl(
                "# anonymous",
                "topic read public/#",
                "",
                "user alice",
                "topic alice/#",
                "topic write inbox/+",
                "user bob",
                "topic readwrite bob/#");
        assertTrue(acl.canReceive("c", null, "public/news"));
        assertFalse(acl.canPublish("c", null, "public/news"));
        assertFalse(acl.canReceive("c", null, "alice/x"));

        assertTrue(acl.canPublish("c", "alice", "alice/x"));
        assertTrue(acl.canReceive("c", "alice", "alice/x/y"));
        assertTrue(acl.canPublish("c", "alice", "inbox/bob"));
        assertFalse(acl.canReceive("c", "alice", "inbox/bob"));
        assertFalse(acl.canReceive("c", "alice", "public/news")); // anonymous rules are not inherited
        assertFalse(acl.canPublish("c", "alice", "bob/x"));

        assertTrue(acl.canPublish("c", "bob", "bob/x"));
        assertFalse(acl.canPublish("c", "carol", "alice/x"));
        assertTrue(acl.hasUser("alice"));
        assertFalse(acl.hasUser("carol"));
    }

    @Test
    void userBlocksRepeatAndMerge() throws Exception {
        AclFile acl = acl("user alice", "topic read a", "user bob", "topic read b", "user alice", "topic write c");
        assertTrue(acl.canReceive("c", "alice", "a"));
        assertTrue(acl.canPublish("c", "alice", "c"));
        assertFalse(acl.canReceive("c", "alice", "b"));
    }

    @Test
    void denyWinsOverGrantsRegardlessOfOrder() throws Exception {
        AclFile acl = acl(
                "user alice",
                "topic #",
                "topic deny secret/#",
                "pattern deny private/%u/#",
                "pattern readwrite private/%u/#");
        assertTrue(acl.canPublish("c", "alice", "open"));
        assertFalse(acl.canPublish("c", "alice", "secret/x"));
        assertFalse(acl.canReceive("c", "alice", "secret"));
        assertFalse(acl.canPublish("c", "alice", "private/alice/x")); // pattern deny beats the user's '#'
        assertTrue(acl.canPublish("c", "alice", "private/bob/x"));
    }

    @Test
    void patternsSubstituteClientIdAndUsernameAsWholeLevels() throws Exception {
        AclFile acl = acl(
                "pattern write devices/%c/status",
                "pattern read users/%u/#",
                "pattern readwrite both/%c/%u",
                "pattern readwrite x%c/y");
        assertTrue(acl.canPublish("dev1", null, "devices/dev1/status"));
        assertFalse(acl.canPublish("dev1", null, "devices/dev2/status"));
        assertFalse(acl.canReceive("dev1", null, "devices/dev1/status"));
        assertTrue(acl.canReceive("c", "alice", "users/alice/inbox"));
        assertFalse(acl.canReceive("c", "alice", "users/bob/inbox"));
        assertFalse(acl.canReceive("c", null, "users/%u/inbox")); // no username: %u patterns never match
        assertTrue(acl.canPublish("c1", "u1", "both/c1/u1"));
        assertFalse(acl.canPublish("c1", null, "both/c1/u1"));
        assertFalse(acl.canPublish("c1", "u1", "xc1/y")); // %c only substitutes a whole level
        assertTrue(acl.canPublish("c1", "u1", "x%c/y"));
        assertFalse(acl.canPublish(null, "u1", "both/null/u1"));
    }

    /** A deny must not fail open: an identity that cannot stand as one level widens the deny instead. */
    @Test
    void patternDeniesHoldForIdentitiesThatCannotBeSubstituted() throws Exception {
        AclFile acl = acl("pattern deny devices/%c/#", "user bob", "topic readwrite devices/#", "topic readwrite other");
        assertFalse(acl.canPublish("x/y", "bob", "devices/x/y/cmd"), "a '/' in the client id must not void the deny");
        assertFalse(acl.canPublish("x+", "bob", "devices/q/cmd"));
        assertFalse(acl.canPublish("plain", "bob", "devices/plain/cmd"));
        assertTrue(acl.canPublish("plain", "bob", "devices/other/cmd"), "the deny covers the client's own subtree");
        assertTrue(acl.canPublish("x/y", "bob", "other"), "the widened deny stays under its prefix");
        assertTrue(acl.canPublish(null, "bob", "devices/a"), "with no client id the pattern does not apply");
    }

    @Test
    void patternsRefuseDangerousIdentities() throws Exception {
        AclFile acl = acl("pattern readwrite users/%u/#", "pattern readwrite open/#", "user a+b", "topic mine");
        assertFalse(acl.canReceive("c", "+", "users/x/y"));
        assertFalse(acl.canReceive("c", "#", "users/x"));
        assertFalse(acl.canPublish("c", "a/b", "users/a/b")); // '/' would escape the user's subtree
        assertTrue(acl.canPublish("c", "a", "users/a/b"));
        assertFalse(acl.canPublish("c+", "alice", "open/x")); // Mosquitto: +/# in id or username => no patterns
        assertFalse(acl.canPublish("c#", "alice", "open/x"));
        assertTrue(acl.canPublish("c", "alice", "open/x"));
        assertTrue(acl.canPublish("c", "a+b", "mine")); // user's own grants still apply
        assertFalse(acl.canPublish("c", "a+b", "open/x"));
    }

    @Test
    void subscribeNeedsAReadGrantCoveringTheWholeFilter() throws Exception {
        AclFile acl = acl(
                "user alice",
                "topic read a/#",
                "topic read b/+",
                "topic write w/#",
                "topic deny a/secret/#",
                "topic #");
        AclFile strict = acl("user alice", "topic read a/#", "topic read b/+", "topic write w/#",
                "topic deny a/secret/#");
        assertTrue(strict.canSubscribe("c", "alice", "a/b/+"));
        assertTrue(strict.canSubscribe("c", "alice", "a/#"));
        assertTrue(strict.canSubscribe("c", "alice", "a"));
        assertTrue(strict.canSubscribe("c", "alice", "b/+"));
        assertTrue(strict.canSubscribe("c", "alice", "b/x"));
        assertFalse(strict.canSubscribe("c", "alice", "b/#"));
        assertFalse(strict.canSubscribe("c", "alice", "#"));
        assertFalse(strict.canSubscribe("c", "alice", "w/x")); // write-only
        assertFalse(strict.canSubscribe("c", "alice", "a/secret/x"));
        assertFalse(strict.canSubscribe("c", "alice", "a/secret/#"));
        // a deny that covers only part of the filter is left to canReceive at delivery time
        assertTrue(strict.canSubscribe("c", "alice", "a/+/x"));
        assertFalse(strict.canReceive("c", "alice", "a/secret/x"));
        assertTrue(acl.canSubscribe("c", "alice", "#"));
        assertFalse(acl.canSubscribe("c", "alice", "a/b#")); // invalid filter
        assertFalse(acl.canSubscribe("c", "alice", ""));
    }

    @Test
    void dollarTopicsNeedExplicitDollarRules() throws Exception {
        AclFile acl = acl("topic #", "topic read $SYS/broker/#");
        assertTrue(acl.canPublish("c", null, "a/b"));
        assertFalse(acl.canReceive("c", null, "$SYS/x"));
        assertTrue(acl.canReceive("c", null, "$SYS/broker/load"));
        assertFalse(acl.canSubscribe("c", null, "$SYS/#"));
        assertTrue(acl.canSubscribe("c", null, "$SYS/broker/+"));
        assertTrue(acl.canSubscribe("c", null, "#"));
    }

    @Test
    void topicsMayContainSpacesAfterTheAccessWord() throws Exception {
        AclFile acl = acl("topic read my topic/with spaces", "topic\twrite  tabbed  ", "topic single");
        assertTrue(acl.canReceive("c", null, "my topic/with spaces"));
        assertFalse(acl.canReceive("c", null, "my"));
        assertTrue(acl.canPublish("c", null, "tabbed"));
        assertTrue(acl.canPublish("c", null, "single"));
        assertTrue(acl.canReceive("c", null, "single"));
    }

    @Test
    void invalidTopicNamesAreRefused() throws Exception {
        AclFile acl = acl("topic #");
        assertTrue(acl.canPublish("c", null, "a"));
        assertFalse(acl.canPublish("c", null, "a/+"));
        assertFalse(acl.canPublish("c", null, "a/#"));
        assertFalse(acl.canReceive("c", null, ""));
    }

    @Test
    void emptyFileDeniesEverything() throws Exception {
        AclFile acl = acl("# nothing", "");
        assertFalse(acl.canPublish("c", null, "a"));
        assertFalse(acl.canReceive("c", "u", "a"));
        assertFalse(acl.canSubscribe("c", "u", "a"));
    }

    @Test
    void loadsFromFileAndRefusesBadLinesNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("acl");
        Files.writeString(good, "user alice\ntopic read a/#\n");
        assertTrue(AclFile.load(good).canReceive("c", "alice", "a/b"));

        List<String> bad = List.of("user", "user   ", "topic", "pattern", "topic reed a/b", "topic read a/#/b",
                "topic deny a+", "topics a", "allow a", "topic read my topic+");
        for (String line : bad) {
            Path file = dir.resolve("bad");
            Files.writeString(file, "# c\n\ntopic ok\n" + line + "\n");
            AuthFileException e = assertThrows(AuthFileException.class, () -> AclFile.load(file), line);
            assertEquals(4, e.line(), line);
            assertEquals(file, e.file());
            assertTrue(e.getMessage().startsWith(file + ":4: "), e.getMessage());
        }
    }
}
