package zzq.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.api.spi.Authenticator;
import zzq.api.spi.Authorizer;
import zzq.api.spi.ClientIdentity;
import zzq.api.spi.ConnectRequest;
import zzq.engine.auth.AclFile;
import zzq.engine.auth.AuthFileException;
import zzq.engine.auth.PasswordFile;

/**
 * The broker's password and ACL files, which {@link #reload} reads again (on SIGHUP, as Mosquitto does).
 *
 * <p>The broker is given {@link #authenticator()} and {@link #authorizer()}, which always ask the files' latest good
 * reading: new connections meet the new passwords, and every message after a reload meets the new ACL (the broker
 * checks reads per message), so a subscription that the new ACL forbids stops receiving. A file that fails to
 * reload is logged with its line and the previous reading stays in force: a typo must not open or close the broker
 * to everyone.
 */
final class AuthFiles {
    private final Path passwordFile;
    private final Path aclFile;
    private volatile PasswordFile passwords;
    private volatile AclFile acl;

    private AuthFiles(Path passwordFile, Path aclFile) {
        this.passwordFile = passwordFile;
        this.aclFile = aclFile;
    }

    /**
     * Reads the files.
     *
     * @param passwordSetting the setting that names the password file, or {@code null} for none
     * @param aclSetting      the setting that names the ACL file, or {@code null} for none
     * @throws CommandException a failure naming the file (and line) that cannot be used
     */
    static AuthFiles load(Setting passwordSetting, Setting aclSetting) throws CommandException {
        AuthFiles files = new AuthFiles(passwordSetting == null ? null : passwordSetting.path(),
                aclSetting == null ? null : aclSetting.path());
        try {
            if (files.passwordFile != null) {
                files.passwords = PasswordFile.load(files.passwordFile);
            }
        } catch (IOException e) {
            throw failure(passwordSetting, "password file", files.passwordFile, e);
        }
        try {
            if (files.aclFile != null) {
                files.acl = AclFile.load(files.aclFile);
            }
        } catch (IOException e) {
            throw failure(aclSetting, "ACL file", files.aclFile, e);
        }
        return files;
    }

    private static CommandException failure(Setting setting, String what, Path file, IOException e) {
        String why = describe(what, file, e);
        // A file named in a configuration file: say which line named it too.
        return setting.line() == null ? CommandException.failure(why) : setting.error(why);
    }

    /** Whether a password file is in use. */
    boolean hasPasswordFile() {
        return passwordFile != null;
    }

    /** The authenticator that asks the password file's latest reading; {@link Authenticator#ALLOW_ALL} without one. */
    Authenticator authenticator() {
        if (passwordFile == null) {
            return Authenticator.ALLOW_ALL;
        }
        return (ConnectRequest request) -> passwords.authenticate(request);
    }

    /** The authorizer that asks the ACL file's latest reading; {@link Authorizer#ALLOW_ALL} without one. */
    Authorizer authorizer() {
        if (aclFile == null) {
            return Authorizer.ALLOW_ALL;
        }
        return new Authorizer() {
            @Override
            public boolean canPublish(ClientIdentity client, String topic) {
                return acl.canPublish(client, topic);
            }

            @Override
            public boolean canSubscribe(ClientIdentity client, String filter) {
                return acl.canSubscribe(client, filter);
            }

            @Override
            public boolean canReceive(ClientIdentity client, String topic) {
                return acl.canReceive(client, topic);
            }
        };
    }

    /** The current password file, or {@code null}. */
    PasswordFile passwords() {
        return passwords;
    }

    /** The current ACL file, or {@code null}. */
    AclFile acl() {
        return acl;
    }

    /**
     * Reads both files again. Each that reads well replaces the one in force; each that does not is logged and
     * left as it was.
     *
     * @return the problems, one line each (file and line); empty when every file was reloaded
     */
    List<String> reload() {
        List<String> problems = new ArrayList<>();
        if (passwordFile != null) {
            try {
                passwords = PasswordFile.load(passwordFile);
                log().info("reloaded the password file {}", passwordFile);
            } catch (IOException e) {
                problems.add(problem("password file", passwordFile, e));
            }
        }
        if (aclFile != null) {
            try {
                acl = AclFile.load(aclFile);
                log().info("reloaded the ACL file {}", aclFile);
            } catch (IOException e) {
                problems.add(problem("ACL file", aclFile, e));
            }
        }
        return List.copyOf(problems);
    }

    /** Why a file cannot be used: its bad line (an {@link AuthFileException} names file and line), or why unreadable. */
    private static String describe(String what, Path file, IOException e) {
        return e instanceof AuthFileException ? "bad " + what + ": " + e.getMessage()
                : UnreadableFile.failure(what, file, e).getMessage();
    }

    private static String problem(String what, Path file, IOException e) {
        String why = describe(what, file, e);
        log().error("{}; the previous {} stays in force", why, what);
        return why;
    }

    private static Logger log() {
        return LoggerFactory.getLogger(AuthFiles.class);
    }
}
