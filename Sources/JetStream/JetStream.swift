/// JetStream namespace.
public enum JetStream {}
