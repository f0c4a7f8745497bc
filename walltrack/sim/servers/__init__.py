"""Fake venues on loopback: Helius (REST + webhook pusher), Solana JSON-RPC, Jupiter,
DexScreener, Birdeye and a control API, all serving one simulated world."""
