import Foundation

// OpenMP reads its wait policy once, when libgomp loads — before any Swift code runs — so the only way to
// fix it for this process is to re-execute it with the variable set (see FastOpenMP.swift).
FastOpenMP.ensurePassiveWaiting()
SimVAECommand.main()
