namespace LtxTrainer.Cmdlets;
