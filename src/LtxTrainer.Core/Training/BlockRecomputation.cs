using LtxTrainer.Core.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// Activation recomputation per transformer block (TorchSharp has no gradient checkpointing): the forward
/// runs the block without keeping its graph and saves only the input; the backward reruns the block
/// with grad enabled and back-propagates through it, which accumulates the LoRA gradients and yields
/// the input's gradient. Use one instance per training step and call <see cref="Complete"/> after
/// <c>loss.backward()</c>.
/// </summary>
/// <param name="generator">
/// The generator the blocks draw their random numbers (LoRA dropout masks) from; its state is replayed for
/// the recomputation. It must be private to the step: a draw by another thread between the forward and
/// the recomputation would give the recomputed block other masks (the process-wide default generator is
/// shared by every thread).
/// </param>
public sealed class BlockRecomputation(Generator generator) : IBlockRunner, IDisposable
{
    private readonly List<Tensor> _pending = [];
    private readonly List<Tensor> _retained = [];
    private Exception? _failure;

    public Tensor Run(int blockIndex, Tensor input, Func<Tensor, Tensor> block)
    {
        if (!is_grad_enabled()) return block(input);
        // Without an input that requires grad the node is not recorded and the block's LoRA gets no grad.
        var x = input.requires_grad ? input : input.detach().requires_grad_(true);
        // The recomputation must draw the same random numbers (LoRA dropout masks) as this forward, as
        // torch.utils.checkpoint's preserve_rng_state does.
        var rngState = generator.get_state().DetachFromDisposeScope();
        _retained.Add(rngState);
        return RecomputedBlock.apply(x, new Call(block, generator, rngState, this));
    }

    public Tensor Retain(Tensor tensor)
    {
        var alias = tensor.alias().DetachFromDisposeScope();
        _retained.Add(alias);
        return alias;
    }

    /// <summary>Releases the gradients handed to autograd and rethrows a failure raised inside a backward.</summary>
    public void Complete()
    {
        Release();
        if (_failure is not null)
        {
            var f = _failure;
            _failure = null;
            throw new InvalidOperationException("Recomputing a transformer block in the backward pass failed.", f);
        }
    }

    public void Dispose() => Release();

    private void Release()
    {
        lock (_pending)
        {
            foreach (var t in _pending) t.Dispose();
            _pending.Clear();
        }
        foreach (var t in _retained) t.Dispose();
        _retained.Clear();
    }

    private sealed record Call(Func<Tensor, Tensor> Block, Generator Generator, Tensor RngState, BlockRecomputation Owner);

    private sealed class RecomputedBlock : autograd.SingleTensorFunction<RecomputedBlock>
    {
        public override string Name => nameof(RecomputedBlock);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            ctx.save_for_backward([x]);
            ctx.save_data("call", vars[1]);
            // The inner scope keeps the block's intermediates from living on in the caller's scope.
            using var scope = NewDisposeScope();
            return ((Call)vars[1]).Block(x).MoveToOuterDisposeScope();
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var call = (Call)ctx.get_data("call");
            try
            {
                Tensor gx;
                using (var scope = NewDisposeScope())
                using (enable_grad())
                {
                    var rngNow = call.Generator.get_state();
                    call.Generator.set_state(call.RngState);
                    try
                    {
                        var x = ctx.get_saved_variables()[0].detach().requires_grad_(true);
                        var y = call.Block(x);
                        autograd.backward([y], [gradOutput]);
                        gx = x.grad!.DetachFromDisposeScope();
                    }
                    finally
                    {
                        call.Generator.set_state(rngNow);
                    }
                }
                lock (call.Owner._pending) call.Owner._pending.Add(gx);
                return [gx, null!];
            }
            catch (Exception ex)
            {
                // An exception escaping a managed backward would abort the process.
                call.Owner._failure ??= ex;
                return [zeros_like(gradOutput), null!];
            }
        }
    }
}
