/// How often a run measures its online monitor (`simvae train --monitor-every epoch|N|off`). In `config.json` it
/// is `"epoch"`, `"off"` or a number of steps.
public enum MonitorInterval: Equatable, Sendable, Codable {
    /// After every epoch.
    case everyEpoch
    /// After every `n` optimisation steps (and not otherwise).
    case everySteps(Int)
    /// Never.
    case off

    /// Parses `epoch`, `off` or a whole number of steps; nil for anything else.
    public init?(text: String) {
        switch text {
        case "epoch": self = .everyEpoch
        case "off": self = .off
        default:
            guard let steps = Int(text) else { return nil }
            self = .everySteps(steps)
        }
    }

    /// The value as the flag and `config.json` spell it.
    public var text: String {
        switch self {
        case .everyEpoch: "epoch"
        case .off: "off"
        case .everySteps(let steps): "\(steps)"
        }
    }

    /// Whether the monitor runs after `step` (1-based, counted over the whole run), the last of its epoch when
    /// `endsEpoch`.
    public func isDue(afterStep step: Int, endsEpoch: Bool) -> Bool {
        switch self {
        case .everyEpoch: endsEpoch
        case .everySteps(let steps): steps > 0 && step % steps == 0
        case .off: false
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let steps = try? container.decode(Int.self) {
            self = .everySteps(steps)
            return
        }
        let text = try container.decode(String.self)
        guard let interval = MonitorInterval(text: text), text == "epoch" || text == "off" else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "must be \"epoch\", \"off\" or a number of steps, got \"\(text)\"")
        }
        self = interval
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .everySteps(let steps): try container.encode(steps)
        default: try container.encode(text)
        }
    }
}
