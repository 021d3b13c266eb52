//! The proper layered graph the layout steps share: every arrow is cut into
//! segments between neighbouring layers, with a dummy item wherever it
//! passes through a layer. Sizes are along the main axis (the way arrows
//! flow) and the cross axis (the way a layer stacks).

/// One piece of an arrow between layer `l` (upper) and `l + 1` (lower).
#[derive(Clone, Debug)]
pub(super) struct Seg {
    pub upper: usize,
    pub lower: usize,
}

/// An arrow as the layering sees it, from its upper end to its lower end.
#[derive(Clone, Debug)]
pub(super) struct Chain {
    /// Index into the layout's list of arrows.
    pub edge: usize,
    /// Items from the upper end to the lower end, dummies between.
    pub items: Vec<usize>,
    /// Segments in the same order.
    pub segs: Vec<usize>,
    /// The arrow points from the lower end to the upper end.
    pub reversed: bool,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Proper {
    /// Items below this are boxes; the rest are dummies.
    pub n_real: usize,
    pub layer: Vec<usize>,
    pub main: Vec<usize>,
    pub cross: Vec<usize>,
    /// Rank of the group band the item belongs to (0 when there are no groups).
    pub band: Vec<usize>,
    /// Neighbours in the layer before: (item, segment).
    pub up: Vec<Vec<(usize, usize)>>,
    /// Neighbours in the layer after: (item, segment).
    pub down: Vec<Vec<(usize, usize)>>,
    pub segs: Vec<Seg>,
    pub chains: Vec<Chain>,
    /// Items of each layer, in order along the cross axis.
    pub layers: Vec<Vec<usize>>,
}

impl Proper {
    /// Builds the layered graph from boxes (`layer`, sizes, band) and
    /// arrows already pointing forward (`from` in an earlier layer).
    pub fn build(
        layer: Vec<usize>,
        main: Vec<usize>,
        cross: Vec<usize>,
        band: Vec<usize>,
        arrows: &[(usize, usize, usize, bool)],
    ) -> Proper {
        let n = layer.len();
        let mut p = Proper {
            n_real: n,
            up: vec![Vec::new(); n],
            down: vec![Vec::new(); n],
            layer,
            main,
            cross,
            band,
            ..Proper::default()
        };
        for &(from, to, edge, reversed) in arrows {
            debug_assert!(p.layer[from] < p.layer[to]);
            let mut items = vec![from];
            for l in p.layer[from] + 1..p.layer[to] {
                let d = p.layer.len();
                p.layer.push(l);
                p.main.push(0);
                p.cross.push(1);
                p.band.push(p.band[from]);
                p.up.push(Vec::new());
                p.down.push(Vec::new());
                items.push(d);
            }
            items.push(to);
            let mut segs = Vec::with_capacity(items.len() - 1);
            for w in items.windows(2) {
                let s = p.segs.len();
                p.segs.push(Seg {
                    upper: w[0],
                    lower: w[1],
                });
                p.down[w[0]].push((w[1], s));
                p.up[w[1]].push((w[0], s));
                segs.push(s);
            }
            p.chains.push(Chain {
                edge,
                items,
                segs,
                reversed,
            });
        }
        let depth = p.layer.iter().copied().max().map_or(0, |m| m + 1);
        p.layers = vec![Vec::new(); depth];
        for (i, &l) in p.layer.iter().enumerate() {
            p.layers[l].push(i);
        }
        p
    }

    pub fn len(&self) -> usize {
        self.layer.len()
    }

    pub fn is_dummy(&self, item: usize) -> bool {
        item >= self.n_real
    }

    /// Position of every item within its layer.
    pub fn positions(&self) -> Vec<usize> {
        let mut pos = vec![0; self.len()];
        for layer in &self.layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
        pos
    }
}
