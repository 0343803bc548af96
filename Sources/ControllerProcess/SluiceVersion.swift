public enum SluiceVersion {
    public static let current = "0.2.0"
}
