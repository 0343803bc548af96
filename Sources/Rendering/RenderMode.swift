/// Which tool a path needs, decided from the names of the files directly in it.
public enum RenderMode {
    public static let kustomizationFiles: Set<String> = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    /// The concrete mode for `requested` (which is returned as it is unless `.auto`).
    public static func resolve(_ requested: RenderOptions.Mode, fileNames: Set<String>) -> RenderOptions.Mode {
        guard requested == .auto else { return requested }
        if !fileNames.isDisjoint(with: kustomizationFiles) { return .kustomize }
        if fileNames.contains("Chart.yaml") { return .helm }
        return .plain
    }
}
