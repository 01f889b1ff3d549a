/**
 * The zzq engine: the per-socket orchestrator, the broker and client roles, and the user-facing {@code Broker} and
 * {@code Client}.
 *
 * <p>So far it holds the broker's building blocks that do not depend on a transport: the topic tree that matches
 * topics against subscriptions, and the Mosquitto-compatible password and ACL files. Its public API arrives with
 * the Engine.
 */
module zzq.engine {
    requires transitive zzq.api;
}
