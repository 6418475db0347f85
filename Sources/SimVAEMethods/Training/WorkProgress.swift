/// Where long work other than training (extracting representations, evaluating) reports how it goes: lines worth
/// keeping, and how far its current stage has got, from which a display draws a bar with an ETA.
public struct WorkProgress {
    /// Receives a line worth keeping: a finished stage, a note.
    public let note: (String) -> Void
    /// Receives how far the stage named first has got: `done` units of `total`, or of an unknown total (nil) for
    /// work that stops when it converges.
    public let advance: (_ stage: String, _ done: Int, _ total: Int?) -> Void

    public init(note: @escaping (String) -> Void,
                advance: @escaping (_ stage: String, _ done: Int, _ total: Int?) -> Void = { _, _, _ in }) {
        self.note = note
        self.advance = advance
    }

    /// Reports nothing.
    public static var silent: WorkProgress { WorkProgress(note: { _ in }) }

    /// These reports, with `prefix` before every note.
    public func indented(by prefix: String) -> WorkProgress {
        WorkProgress(note: { [note] in note(prefix + $0) }, advance: advance)
    }
}
