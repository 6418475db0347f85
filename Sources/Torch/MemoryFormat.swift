/// Channels-last memory layout ([N, C, H, W] stored as N, H, W, C), which some convolution kernels run faster on.
extension Tensor {
    /// This 4-D tensor laid out channels-last (same shape and values); other tensors unchanged.
    public var channelsLast: Tensor {
        guard rank == 4 else { return self }
        return ATenMemoryFormat.contiguous(.tensor(self), .int(ATenMemoryFormat.channelsLastCode))
    }
}

extension Module {
    /// Lays out every 4-D parameter and buffer (convolution weights) channels-last, in place (identities kept).
    public func convertToChannelsLast() {
        withNoGrad {
            for (_, tensor) in namedTensors() where tensor.rank == 4 {
                let converted = tensor.channelsLast
                let requires = tensor.requiresGrad
                tensor.replaceStorage(with: converted)
                tensor.requiresGrad = requires
            }
        }
    }
}

/// `contiguous` with its memory-format argument (`c10::MemoryFormat::ChannelsLast` is 2).
private enum ATenMemoryFormat {
    static let contiguous = Operator("contiguous")
    static let channelsLastCode = 2
}
