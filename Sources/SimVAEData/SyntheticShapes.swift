import Foundation

/// A synthetic dataset with known content and style: one filled shape per image on a black background, whose
/// class (the content) is the shape and whose style factors are position, scale, rotation and hue.
///
/// Generation is deterministic: the same seed and sizes give the same bytes on every machine.
public enum SyntheticShapes {
    /// The shapes, in label order. Circle and ring look the same under every rotation.
    public static let classNames = ["circle", "square", "triangle", "cross", "ring"]

    /// The style factors of each image, one array entry per image.
    public struct StyleFactors: Sendable, Equatable {
        /// Horizontal centre, as a fraction of the width (0 left, 1 right).
        public var x: [Double] = []
        /// Vertical centre, as a fraction of the height (0 top, 1 bottom).
        public var y: [Double] = []
        /// Radius of the shape's bounding circle, as a fraction of the image side.
        public var scale: [Double] = []
        /// Rotation in radians, in [0, 2π).
        public var rotation: [Double] = []
        /// Hue in [0, 1) (red 0, green 1/3, blue 2/3), at full saturation and value.
        public var hue: [Double] = []

        /// The factors by name, in a fixed order, for style probes.
        public var named: [(name: String, values: [Double])] {
            [("x", x), ("y", y), ("scale", scale), ("rotation", rotation), ("hue", hue)]
        }
    }

    /// Generates `count` images of `size`×`size` pixels with `channels` 3 (coloured) or 1 (grey, hue ignored),
    /// labels drawn uniformly from the shapes, and their style factors.
    public static func generate(count: Int, size: Int = 32, channels: Int = 3,
                                seed: UInt64) -> (images: ImageSet, factors: StyleFactors) {
        precondition(channels == 1 || channels == 3, "synthetic images have 1 or 3 channels")
        var random = SplitMix64(seed: seed)
        var factors = StyleFactors()
        var labels: [Int] = []
        var pixels: [UInt8] = []
        pixels.reserveCapacity(count * channels * size * size)
        for _ in 0 ..< count {
            let label = Int(random.next() % UInt64(classNames.count))
            let scale = random.uniform(0.2 ... 0.35)
            let x = random.uniform(scale ... 1 - scale), y = random.uniform(scale ... 1 - scale)
            let rotation = random.uniform(0 ... 2 * .pi), hue = random.uniform(0 ... 1)
            labels.append(label)
            factors.x.append(x); factors.y.append(y); factors.scale.append(scale)
            factors.rotation.append(rotation); factors.hue.append(hue)
            let coverage = rasterise(label, x: x, y: y, scale: scale, rotation: rotation, size: size)
            let colour = channels == 1 ? [1.0] : rgb(hue: hue)
            for component in colour {
                pixels += coverage.map { UInt8(($0 * component * 255).rounded()) }
            }
        }
        let images = ImageSet(pixels: pixels, count: count, channels: channels, height: size, width: size,
                              labels: labels, classNames: classNames)
        return (images, factors)
    }

    /// The fraction of each pixel covered by the shape (4×4 supersampling), row after row.
    private static func rasterise(_ shape: Int, x: Double, y: Double, scale: Double, rotation: Double,
                                  size: Int) -> [Double] {
        let (cosine, sine) = (cos(rotation), sin(rotation))
        let samples = 4
        return (0 ..< size * size).map { pixel in
            var inside = 0
            for sample in 0 ..< samples * samples {
                let px = (Double(pixel % size) + (Double(sample % samples) + 0.5) / Double(samples)) / Double(size)
                let py = (Double(pixel / size) + (Double(sample / samples) + 0.5) / Double(samples)) / Double(size)
                // Into the shape's frame: centred, unrotated, bounding circle of radius 1.
                let (dx, dy) = ((px - x) / scale, (py - y) / scale)
                if contains(shape, u: cosine * dx + sine * dy, v: -sine * dx + cosine * dy) { inside += 1 }
            }
            return Double(inside) / Double(samples * samples)
        }
    }

    /// Whether the point (u, v) of the unit frame lies inside the shape.
    private static func contains(_ shape: Int, u: Double, v: Double) -> Bool {
        let radius = (u * u + v * v).squareRoot()
        switch shape {
        case 0: return radius <= 0.9
        case 1: return max(abs(u), abs(v)) <= 0.7
        case 2:  // Equilateral triangle inscribed in the unit circle, apex at v = -1.
            return v <= 0.5 && 0.5 * v - 0.866 * u >= -0.5 && 0.5 * v + 0.866 * u >= -0.5
        case 3: return (abs(u) <= 0.3 && abs(v) <= 0.9) || (abs(v) <= 0.3 && abs(u) <= 0.9)
        default: return radius <= 0.9 && radius >= 0.55
        }
    }

    /// Full-saturation, full-value RGB of a hue in [0, 1).
    private static func rgb(hue: Double) -> [Double] {
        [0.0, 2.0 / 3, 1.0 / 3].map { offset in
            let distance = abs((hue + offset).truncatingRemainder(dividingBy: 1) * 6 - 3)
            return min(1, max(0, distance - 1))
        }
    }
}
