package zzq.cli;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import zzq.codec.PacketType;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.property.PropertyType;

/**
 * MQTT 5.0 properties given as Mosquitto's tools take them: {@code -D COMMAND IDENTIFIER VALUE}, or
 * {@code -D COMMAND user-property NAME VALUE}. COMMAND is the packet ({@code connect}, {@code publish},
 * {@code subscribe}) or {@code will}; IDENTIFIER is the property's name in the specification, in lower case with
 * dashes ({@code message-expiry-interval}); binary values (correlation data) are given as text. Each command
 * accepts the properties a client may put in that packet.
 */
final class PropertyFlags {
    /** The {@code -D} flag. */
    static final Flag FLAG = Flag.value("property", "COMMAND NAME VALUE",
            "an MQTT 5 property, as in mosquitto's tools; repeatable.\n"
                    + "COMMAND: connect, will, publish (pub), subscribe (sub).\n"
                    + "-D publish content-type text/plain, -D connect\n"
                    + "user-property KEY VALUE, -D subscribe subscription-identifier 7")
            .alias("D").several();

    private final Map<String, Properties> byCommand;

    private PropertyFlags(Map<String, Properties> byCommand) {
        this.byCommand = byCommand;
    }

    /**
     * Reads every {@code -D}, accepting the commands given (in lower case: {@code connect}, {@code will},
     * {@code publish}, {@code subscribe}).
     *
     * @throws CommandException a usage error naming the command, property or value at fault
     */
    static PropertyFlags parse(Args args, List<String> commands) throws CommandException {
        Map<String, Properties.Builder> builders = new LinkedHashMap<>();
        for (List<String> given : args.occurrences(FLAG.name())) {
            String where = "-D " + String.join(" ", given);
            String command = given.get(0).toLowerCase(Locale.ROOT);
            if (!commands.contains(command)) {
                throw CommandException.usage(where + ": properties can be given for " + String.join(", ", commands)
                        + (isPacket(command) ? "; this command sends no " + command.toUpperCase(Locale.ROOT)
                        + " with properties of yours" : ", not '" + given.get(0) + "'"));
            }
            if (given.size() < 3) {
                throw CommandException.usage(where + ": give the property's name and value: " + FLAG.synopsis());
            }
            PropertyId id = byName(given.get(1));
            if (id == null) {
                throw CommandException.usage(where + ": no MQTT 5 property is called '" + given.get(1) + "'");
            }
            boolean allowed = command.equals("will") ? id.isAllowedInWill()
                    : id.isAllowedIn(PacketType.valueOf(command.toUpperCase(Locale.ROOT)));
            if (!allowed) {
                throw CommandException.usage(where + ": " + given.get(1) + " is not a property of " + command);
            }
            int wanted = id.type() == PropertyType.UTF8_STRING_PAIR ? 4 : 3;
            if (given.size() != wanted) {
                throw CommandException.usage(where + ": " + given.get(1) + " takes "
                        + (wanted == 4 ? "a name and a value" : "one value"));
            }
            Properties.Builder b = builders.computeIfAbsent(command, k -> Properties.builder());
            try {
                add(b, id, given.subList(2, given.size()));
            } catch (IllegalArgumentException e) {
                throw CommandException.usage(where + ": " + e.getMessage());
            }
        }
        Map<String, Properties> built = new LinkedHashMap<>();
        builders.forEach((command, b) -> built.put(command, b.build()));
        return new PropertyFlags(built);
    }

    private static void add(Properties.Builder b, PropertyId id, List<String> values) {
        String value = values.get(0);
        switch (id.type()) {
            case UTF8_STRING -> b.add(id, value);
            case BINARY_DATA -> b.add(id, BinaryData.of(value.getBytes(StandardCharsets.UTF_8)));
            case UTF8_STRING_PAIR -> b.userProperty(value, values.get(1));
            default -> {
                long n;
                try {
                    n = Long.parseLong(value.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("needs a whole number, not '" + value + "'", e);
                }
                b.add(id, n);
            }
        }
    }

    private static boolean isPacket(String command) {
        for (PacketType t : PacketType.values()) {
            if (t.name().equalsIgnoreCase(command)) {
                return true;
            }
        }
        return false;
    }

    /** A property by its name with dashes, such as {@code content-type}. */
    static PropertyId byName(String name) {
        for (PropertyId id : PropertyId.values()) {
            if (name(id).equalsIgnoreCase(name)) {
                return id;
            }
        }
        return null;
    }

    /** A property's name with dashes, such as {@code content-type}. */
    static String name(PropertyId id) {
        return id.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The properties given for a command; empty when none. */
    Properties of(String command) {
        return byCommand.getOrDefault(command, Properties.EMPTY);
    }

    /** Whether any {@code -D} was given. */
    boolean isEmpty() {
        return byCommand.isEmpty();
    }
}
