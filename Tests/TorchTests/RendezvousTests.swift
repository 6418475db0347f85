import Testing
import Torch

@Suite struct RendezvousTests {
    @Test func torchrunsVariablesDescribeTheRendezvous() throws {
        let rendezvous = try #require(try Rendezvous.fromEnvironment([
            "RANK": "3", "WORLD_SIZE": "4", "LOCAL_RANK": "1", "MASTER_ADDR": "node7", "MASTER_PORT": "29500",
            "GLOO_SOCKET_IFNAME": "eth1",
        ]))
        #expect(rendezvous == Rendezvous(host: "node7", port: 29500, rank: 3, worldSize: 4, localRank: 1,
                                         interface: "eth1"))
        #expect(rendezvous.bindHost == nil, "a group across machines binds to the hostname's address")
        let local = try #require(try Rendezvous.fromEnvironment(["RANK": "0", "WORLD_SIZE": "2",
                                                                 "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "1"]))
        #expect(local.localRank == 0 && local.bindHost == "127.0.0.1")
        #expect(try Rendezvous.fromEnvironment(["PATH": "/usr/bin"]) == nil)
    }

    @Test(arguments: [
        (["RANK": "0", "WORLD_SIZE": "2", "MASTER_ADDR": "h"], "MASTER_PORT is not set"),
        (["RANK": "2", "WORLD_SIZE": "2", "MASTER_ADDR": "h", "MASTER_PORT": "1"], "RANK=2 is not a whole number in 0...1"),
        (["RANK": "0", "WORLD_SIZE": "two", "MASTER_ADDR": "h", "MASTER_PORT": "1"], "WORLD_SIZE=two"),
        (["RANK": "0", "WORLD_SIZE": "2", "MASTER_ADDR": "h", "MASTER_PORT": "70000"], "MASTER_PORT=70000"),
        (["RANK": "0", "WORLD_SIZE": "2", "MASTER_ADDR": "", "MASTER_PORT": "1"], "MASTER_ADDR is not set"),
    ])
    func aBadVariableIsNamed(environment: [String: String], message: String) {
        #expect {
            try Rendezvous.fromEnvironment(environment)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
